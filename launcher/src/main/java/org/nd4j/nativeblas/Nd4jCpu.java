package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Lets DL4J 1.0.0-M2.1 find out that ND4J was built with oneDNN. DL4J's layer helpers ask
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()} (by reflection), a class the M2.1 backend
 * renamed to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN()}; without an
 * answer DL4J drops its oneDNN convolution, pooling and batch-norm helpers and falls back to im2col + BLAS,
 * 3-6x slower on a CPU. This class answers from the new one. Reflection keeps the launcher compiling with
 * the CUDA backend, where the CPU class does not exist (the answer is then false).
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final String TARGET = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName(TARGET);
                Object instance = env.getMethod("getInstance").invoke(null);
                Method use = env.getMethod("isUseONEDNN");
                return (boolean) use.invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
