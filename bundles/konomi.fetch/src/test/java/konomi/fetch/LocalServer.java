package konomi.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on 127.0.0.1 that logs every request it receives (path, conditional header, when). */
public final class LocalServer implements AutoCloseable {
    public static final Path PICTURES = Path.of(System.getProperty("konomi.shared", "../../../shared"), "data", "anime_illustrations_plain");

    public record Request(String path, String ifNoneMatch, String userAgent, long nanos) {
    }

    public final List<Request> log = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();

    public LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", x -> {
            try (x) {
                log.add(new Request(x.getRequestURI().getPath(), x.getRequestHeaders().getFirst("If-None-Match"),
                        x.getRequestHeaders().getFirst("User-Agent"), System.nanoTime()));
                HttpHandler h = routes.get(x.getRequestURI().getPath());
                if (h == null) {
                    x.sendResponseHeaders(404, -1);
                } else {
                    h.handle(x);
                }
            } catch (IOException e) {
                // the client hung up (refused body, timeout): expected in several tests
            }
        });
        server.start();
    }

    public LocalServer route(String path, HttpHandler h) {
        routes.put(path, h);
        return this;
    }

    public LocalServer serve(String path, String type, byte[] body) {
        return route(path, x -> send(x, 200, type, body));
    }

    public static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<String> paths() {
        return log.stream().map(Request::path).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
