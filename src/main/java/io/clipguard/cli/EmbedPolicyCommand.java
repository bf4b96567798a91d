package io.clipguard.cli;

import io.clipguard.app.ModelRuntime;
import io.clipguard.config.ModelConfig;
import io.clipguard.config.PolicyConfig;
import io.clipguard.model.Engine;
import io.clipguard.policy.EmbeddingProgress;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyEmbeddings;
import io.clipguard.policy.PolicyLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embed-policy --model DIR --policy FILE}: embeds a policy's prompt ensembles and exemplar images
 * with a model bundle and writes them beside the policy ({@code NAME.embeddings.json}), keyed by the
 * model id and the expanded prompts, so the application starts without embedding. Shows progress on
 * stderr.
 */
@Command(
        name = "embed-policy",
        mixinStandardHelpOptions = true,
        description = "Embeds a policy's prompts and exemplar images with a model bundle and writes them beside the"
                + " policy (NAME.embeddings.json), so the job starts without embedding them.")
final class EmbedPolicyCommand implements Callable<Integer> {

    private static final int BAR_WIDTH = 30;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the model bundle's directory")
    Path modelDir;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the policy (YAML)")
    Path policyFile;

    @Override
    public Integer call() throws IOException {
        return run(System.out);
    }

    int run(PrintStream out) throws IOException {
        Policy policy = PolicyLoader.load(policyFile);
        ModelConfig model = new ModelConfig(modelDir, Engine.PYTORCH, 1, 2);
        Path target = PolicyEmbeddings.fileFor(policyFile);
        try (ModelRuntime runtime =
                ModelRuntime.open(model, PolicyConfig.of(policyFile), 64L * 1024 * 1024, progress(System.err))) {
            PolicyEmbeddings embeddings = runtime.policies().embedder().export(policy);
            embeddings.write(target, policy);
            out.printf(
                    Locale.ROOT,
                    "wrote %s: %d labels, %d prompts, model %s, key %s%n",
                    target,
                    policy.labels().size(),
                    policy.allPrompts().size(),
                    embeddings.modelId(),
                    embeddings.key().substring(0, 12));
        }
        return 0;
    }

    private static EmbeddingProgress progress(PrintStream err) {
        return (done, total) -> {
            int filled = total == 0 ? BAR_WIDTH : done * BAR_WIDTH / total;
            err.printf(
                    Locale.ROOT,
                    "\rembedding [%s%s] %d/%d prompts and images",
                    "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled),
                    done,
                    total);
            if (done == total) {
                err.println();
            }
        };
    }
}
