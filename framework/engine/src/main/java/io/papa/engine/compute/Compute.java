package io.papa.engine.compute;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Device selection, the per-thread autograd switch and gradient zeroing. */
public final class Compute {

    private Compute() {
    }

    /**
     * Turns autograd recording off on the calling thread. Torch's grad mode is thread-local and on
     * by default, so work started from a Camel or Quartz thread would otherwise build a graph for
     * every evaluation forward and reject in-place parameter updates.
     */
    public static void noGradOnThisThread() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }

    /**
     * Sets {@code weight}'s accumulated gradient to zero. DJL's collector never zeroes gradients, and
     * subtracting a gradient from itself leaves a NaN in place, so a diverged step would poison every
     * later one.
     */
    public static void zeroGradient(NDArray weight) {
        JniUtils.zeroGrad((PtNDArray) weight);
    }

    /**
     * {@code auto} (the first GPU when there is one, else the CPU), {@code cpu}, {@code gpu} or
     * {@code gpu:N}. The same command therefore uses CUDA on a GPU machine without changes.
     */
    public static Device device(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:") || s.startsWith("cuda")) {
            int id = 0;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                try {
                    id = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, gpu or gpu:N");
                }
            }
            if (id >= gpus) {
                throw new IllegalArgumentException("device '" + spec + "' requested but " + gpus
                        + " GPU(s) are visible; use --device cpu or auto");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, gpu or gpu:N");
    }
}
