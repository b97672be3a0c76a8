package konomi.launcher;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Declarative Services knows of the bundles' components, from its ServiceComponentRuntime. SCR
 * reads a bundle's component descriptions synchronously while the bundle starts, so once every bundle is
 * started the descriptions are complete: a command no description declares does not exist, without
 * waiting. SCR lives in a bundle the launcher's class loader cannot see: the DTOs are read by reflection.
 */
final class Components {
    private static final Logger LOG = LoggerFactory.getLogger(Components.class);
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    /** One component description: its name, properties, configuration PIDs and service interfaces. */
    record Description(String name, Map<String, Object> properties, List<String> configurationPids, List<String> services) {
        boolean declaresCommand(String scope, String function) {
            return values(properties.get("osgi.command.function")).contains(function)
                    && (scope == null || values(properties.get("osgi.command.scope")).contains(scope));
        }
    }

    private Components() {
    }

    /** Every component description of every bundle; empty when SCR is not running. */
    static List<Description> descriptions(BundleContext ctx) {
        ServiceReference<?> ref = GogoSession.first(ctx, SCR);
        if (ref == null) {
            return List.of();
        }
        Object scr = ctx.getService(ref);
        if (scr == null) {
            return List.of();
        }
        try {
            Collection<?> dtos = (Collection<?>) method(scr, SCR, "getComponentDescriptionDTOs", Bundle[].class)
                    .invoke(scr, (Object) new Bundle[0]);
            List<Description> out = new ArrayList<>();
            for (Object dto : dtos) {
                @SuppressWarnings("unchecked")
                Map<String, Object> props = (Map<String, Object>) field(dto, "properties");
                out.add(new Description(String.valueOf(field(dto, "name")), props == null ? Map.of() : props,
                        values(field(dto, "configurationPid")), values(field(dto, "serviceInterfaces"))));
            }
            return out;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot read the component descriptions", e);
            return List.of();
        } finally {
            ctx.ungetService(ref);
        }
    }

    /**
     * A service's method through the interface it is registered under, as the bundle's class loader has it:
     * the implementation class may well be private to its bundle.
     */
    static Method method(Object service, String iface, String name, Class<?>... params) throws NoSuchMethodException {
        for (Class<?> c = service.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(iface)) {
                    return i.getMethod(name, params);
                }
            }
        }
        return service.getClass().getMethod(name, params);
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        Field f = dto.getClass().getField(name);
        return f.get(dto);
    }

    /** A property value as strings: a single value, an array or a collection. */
    static List<String> values(Object v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(String.valueOf(Array.get(v, i)));
            }
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x)));
        } else {
            out.add(String.valueOf(v));
        }
        return out;
    }
}
