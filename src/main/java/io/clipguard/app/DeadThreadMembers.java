package io.clipguard.app;

import io.clipguard.config.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a failed stream thread's static member out of the group at once. Kafka Streams replaces a
 * failed thread with a new one, under a new thread index and so a new {@code group.instance.id}; the
 * dead thread's consumer closes without leaving the group, so its partitions would wait for its session
 * to time out (30-45 s) before anyone works on them again. Removing the old static member by its
 * instance id starts the rebalance now. With dynamic membership (no {@code group.instance.id}) there is
 * no public way to remove a member: the partitions wait for the session timeout.
 */
final class DeadThreadMembers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadThreadMembers.class);
    /** The stream thread's name ends with its index, which Kafka Streams appends to the instance id. */
    private static final Pattern THREAD_INDEX = Pattern.compile(".*-StreamThread-(\\d+)$");
    /** Gives the dead thread's consumer a moment to close before its member is removed. */
    private static final Duration DELAY = Duration.ofMillis(500);

    private final String groupId;
    private final String groupInstanceId;
    private final Properties adminSettings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dead-thread-members");
        thread.setDaemon(true);
        return thread;
    });

    DeadThreadMembers(Properties streamsSettings) {
        this.groupId = streamsSettings.getProperty("application.id");
        this.groupInstanceId = streamsSettings.getProperty("group.instance.id");
        this.adminSettings = KafkaConnection.settings(streamsSettings);
        adminSettings.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "clipguard-dead-thread-members");
        adminSettings.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        adminSettings.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"); // not below the request's
    }

    /** The admin client's settings (for tests: a client must be creatable with them). */
    Properties adminSettings() {
        return adminSettings;
    }

    /** The static member of the stream thread named {@code threadName}, or null without static membership. */
    String memberOf(String threadName) {
        Matcher index = THREAD_INDEX.matcher(threadName);
        return groupInstanceId == null || groupInstanceId.isBlank() || !index.matches()
                ? null
                : groupInstanceId + "-" + index.group(1);
    }

    /** Called on the failed stream thread: removes its member from the group shortly after. */
    void threadFailed(String threadName) {
        String member = memberOf(threadName);
        if (member == null) {
            LOG.warn(
                    "stream thread {} failed without static membership: its partitions wait for its session to time out",
                    threadName);
            return;
        }
        scheduler.schedule(() -> remove(member), DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void remove(String member) {
        try (Admin admin = Admin.create(adminSettings)) {
            admin.removeMembersFromConsumerGroup(
                            groupId, new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(member))))
                    .all()
                    .get(15, TimeUnit.SECONDS);
            LOG.info(
                    "removed the failed stream thread's member {} from group {}: its partitions move now",
                    member,
                    groupId);
        } catch (Exception e) {
            LOG.warn(
                    "could not remove the failed stream thread's member {} from group {} ({}); its partitions wait"
                            + " for its session to time out",
                    member,
                    groupId,
                    e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
