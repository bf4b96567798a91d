package io.clipguard.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipguard.policy.ImageEmbedder;
import io.clipguard.policy.PolicyEmbedder;
import io.clipguard.policy.PolicyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyHolderTest {

    private static final String V1 =
            """
            id: p
            version: 1
            labels:
              - {id: red, prompts: [red], action: block, threshold: 0.5}
              - {id: blue, prompts: [blue], action: allow, threshold: 0.5}
            """;

    private final PolicyEmbedder embedder = new PolicyEmbedder(
            "m",
            10f,
            prompts -> prompts.stream()
                    .map(p -> p.equals("red") ? new float[] {1, 0} : new float[] {0, 1})
                    .toArray(float[][]::new),
            ImageEmbedder.NONE);
    private final PolicyHolder holder =
            new PolicyHolder(embedder.embed(PolicyLoader.parse(V1, "v1")), embedder, Path.of(""));

    @Test
    void aNewVersionTakesEffect() {
        assertEquals(
                PolicyHolder.Update.ACCEPTED,
                holder.offer(V1.replace("version: 1", "version: 2").replace("0.5}", "0.8}"), "t@1"));
        assertEquals("2", holder.get().policy().version());
        assertEquals(0.8, holder.get().policy().labels().get(0).threshold());
    }

    @Test
    void aBrokenPolicyIsRejectedAndTheRunningOneStays() {
        assertEquals(
                PolicyHolder.Update.REJECTED,
                holder.offer(
                        V1.replace("version: 1", "version: 2").replace("threshold: 0.5}", "threshold: 7}"), "t@1"));
        assertEquals(PolicyHolder.Update.REJECTED, holder.offer("labels: [", "t@2"));
        assertEquals("1", holder.get().policy().version());
        assertEquals(2, holder.rejectedCount());
    }

    @Test
    void theSameVersionAgainIsUnchangedButDifferentContentUnderItIsRejected() {
        assertEquals(PolicyHolder.Update.UNCHANGED, holder.offer(V1, "t@1"));
        assertEquals(PolicyHolder.Update.REJECTED, holder.offer(V1.replace("0.5}", "0.6}"), "t@2"));
        assertEquals(0.5, holder.get().policy().labels().get(0).threshold());
    }

    @Test
    void anotherPolicyIdIsRejected() {
        assertEquals(
                PolicyHolder.Update.REJECTED,
                holder.offer(V1.replace("id: p", "id: q").replace("version: 1", "version: 2"), "t@1"));
        assertEquals("p", holder.get().policy().id());
    }
}
