/** CLI benchmarks: each prints a table of figures measured side by side in one run. */
package io.caravan.app.bench;
