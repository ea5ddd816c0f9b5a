/**
 * Several engine processes on one database: nodes beat, each SSH host is owned by one live node at a time
 * (only the owner connects to it and starts jobs on it), and what a dead node held is taken over.
 */
package io.caravan.core.cluster;
