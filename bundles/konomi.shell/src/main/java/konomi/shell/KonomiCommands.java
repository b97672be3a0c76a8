package konomi.shell;

import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import konomi.api.SystemCheck;

/**
 * {@code konomi:info}: where things are, and whether the native pieces work here: every {@link SystemCheck}
 * service (the ND4J backend check lives with the networks, so the shell needs none of ND4J).
 */
@Component(service = KonomiCommands.class, property = {"osgi.command.scope=konomi", "osgi.command.function=info"})
public class KonomiCommands {
    private BundleContext context;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<SystemCheck> checks;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("show Konomi's folders, bundles and native backends; runs one ND4J operation to check the backend")
    public void info(
            @Descriptor("tab-separated rows without header, for scripts") @Parameter(names = {"--no-format"}, absentValue = "false", presentValue = "true") boolean noFormat) {
        Table t = new Table("item", "value");
        t.row("home", context.getProperty("konomi.home"));
        t.row("deploy", context.getProperty("konomi.deploy"));
        t.row("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        t.row("framework", context.getBundle(0).getSymbolicName() + " " + context.getBundle(0).getVersion());
        long active = Arrays.stream(context.getBundles()).filter(b -> b.getState() == Bundle.ACTIVE).count();
        t.row("bundles", active + " active of " + context.getBundles().length);
        List<SystemCheck> cs = checks == null ? List.of() : checks;
        if (cs.isEmpty()) {
            t.row("checks", "none installed (konomi.score.cnn checks the ND4J backend)");
        }
        // a failing check throws its one-line message: the command fails with it
        cs.forEach(c -> c.check().forEach(i -> t.row(i.item(), i.value())));
        t.print(System.out, !noFormat);
    }
}
