package io.caravan.routes.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * A Quartz scheduler whose JDBC job store lives in Caravan's own database (tables from Flyway), on
 * Caravan's own connection pool. Triggers survive restarts, which is what lets Quartz see the firings
 * missed while the server was down and apply each schedule's catch-up policy.
 */
public final class QuartzSchedulers {
    /** The Quartz group of Caravan's schedule triggers (the host part of {@code quartz://caravan/ID}). */
    public static final String GROUP = "caravan";

    private QuartzSchedulers() {}

    public static Scheduler create(DataSource dataSource, boolean postgres, Duration misfireThreshold)
            throws SchedulerException {
        String name = "caravan-" + System.identityHashCode(dataSource);
        DBConnectionManager.getInstance().addConnectionProvider(name, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the Database, which closes it
            }

            @Override
            public void initialize() {}
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "caravan");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty(
                "org.quartz.jobStore.driverDelegateClass",
                postgres
                        ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                        : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.dataSource", name);
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThreshold.toMillis()));
        // every server on the database schedules the same triggers; the clustered store lets one node fire
        // each slot, and takes over the triggers of a node that stops checking in
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "2000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        // camel-quartz pauses its trigger in the job store when its route stops, and only the process that
        // paused it knows to resume it: after a restart the schedule would never fire again. Resumed here,
        // before the scheduler starts, Quartz applies each trigger's misfire policy to the firings it missed.
        scheduler.resumeTriggers(GroupMatcher.triggerGroupEquals(GROUP));
        return scheduler;
    }
}
