package konomi.launcher;

import java.lang.reflect.InvocationTargetException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the models of start-up before a command or script runs: the model extender loads them in the
 * background, so without this {@code konomi detect:list} could run before the detectors are there. The wait is
 * the registry's own promise ({@code ModelRegistry.idle()}); the API lives in the framework, hence reflection.
 */
final class ModelsLoaded {
    private static final Logger LOG = LoggerFactory.getLogger(ModelsLoaded.class);

    private ModelsLoaded() {
    }

    static void await(BundleContext ctx, long timeoutMs) {
        ServiceReference<?> ref = ctx.getServiceReference("konomi.api.model.ModelRegistry");
        Object registry = ref == null ? null : ctx.getService(ref);
        if (registry == null) {
            return; // no extender: nothing loads
        }
        try {
            ClassLoader api = registry.getClass().getClassLoader();
            Class<?> promise = api.loadClass("org.osgi.util.promise.Promise");
            Object idle = api.loadClass("konomi.api.model.ModelRegistry").getMethod("idle").invoke(registry);
            Object timed = promise.getMethod("timeout", long.class).invoke(idle, timeoutMs);
            promise.getMethod("getValue").invoke(timed);
        } catch (InvocationTargetException e) {
            LOG.warn("models still loading after {} ms; going on", timeoutMs);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot wait for the models", e);
        } finally {
            ctx.ungetService(ref);
        }
    }
}
