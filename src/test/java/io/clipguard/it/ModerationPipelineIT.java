package io.clipguard.it;

/** The end-to-end contract on a real KRaft broker running inside the test JVM. */
class ModerationPipelineIT extends ModerationPipelineContract {

    @Override
    String bootstrapServers() throws Exception {
        return SharedKafka.get().bootstrapServers();
    }
}
