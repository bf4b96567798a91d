package io.clipguard.bench;

import io.clipguard.app.ModelRuntime;
import io.clipguard.image.ImagePathBench;
import java.time.Instant;
import java.util.List;

/** The entry point of the per-stage CPU profile, for the command line. */
public final class StageProfiles {

    private StageProfiles() {}

    /** Profiles the images on the runtime's model and returns the Markdown report with the machine's facts. */
    public static String report(ModelRuntime runtime, String model, List<byte[]> images, int repeat) {
        StageProfile profile = new StageProfile(runtime);
        profile.run(images.subList(0, Math.min(3, images.size())), 1); // warm the JIT and the engine
        List<StageProfile.ClassCost> costs = profile.run(images, repeat);
        int cores = Runtime.getRuntime().availableProcessors();
        return "### Stage profile, " + model + ", " + Instant.now() + "\n\nMachine: " + cores
                + " cores, " + MachineInfo.cpuModel() + ", Java " + System.getProperty("java.version")
                + ", load average " + MachineInfo.loadAverage() + " at the end.\n\n"
                + StageProfile.markdown(model, costs, cores)
                + "\nThe image speed-ups against what they replace, in the same run:\n\n"
                + ImagePathBench.markdown(runtime.bundle().image(), photographs(images));
    }

    /** The JPEGs of half a megapixel and more. */
    private static List<byte[]> photographs(List<byte[]> images) {
        return images.stream()
                .filter(image -> {
                    InputClass.Frame frame = InputClass.jpegFrame(image);
                    return frame != null && (long) frame.width() * frame.height() >= 500_000;
                })
                .toList();
    }
}
