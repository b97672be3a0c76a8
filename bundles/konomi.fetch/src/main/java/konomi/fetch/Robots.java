package konomi.fetch;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;

/**
 * robots.txt rules per origin (scheme, host, port), parsed by crawler-commons and kept for the life of the process.
 * A missing robots.txt (4xx) allows everything. A server error (5xx) disallows the request (the usual reading: the
 * site is not in a state to be crawled) and is not kept, so the next request asks again; neither is a robots.txt
 * that cannot be reached at all, which allows the request (it will most likely fail on its own, naming why).
 */
final class Robots {
    /** What fetching a robots.txt gave: a status and a body, or status -1 when it could not be reached. */
    record Answer(int status, byte[] body, String contentType) {
    }

    interface Getter {
        Answer get(URI robotsTxt) throws InterruptedException;
    }

    private final Map<String, BaseRobotRules> rules = new ConcurrentHashMap<>();
    private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();

    static URI robotsTxt(URI uri) {
        return URI.create(uri.getScheme().toLowerCase() + "://" + uri.getRawAuthority() + "/robots.txt");
    }

    /**
     * Why the robot may not fetch this URL, or null when it may; fetches the origin's robots.txt once (racing
     * callers may both fetch it).
     */
    String refusal(URI uri, String robotName, Getter getter) throws InterruptedException {
        URI txt = robotsTxt(uri);
        String origin = txt.toString();
        BaseRobotRules r = rules.get(origin);
        if (r == null) {
            Answer a = getter.get(txt);
            if (a.status() < 0) {
                return null;
            }
            if (a.status() / 100 == 5) {
                return "robots.txt is unavailable (HTTP " + a.status() + ")";
            }
            synchronized (parser) {
                r = a.status() / 100 == 2 ? parser.parseContent(origin, a.body(), a.contentType(), List.of(robotName)) : parser.failedFetch(a.status());
            }
            rules.put(origin, r);
        }
        return r.isAllowed(uri.toString()) ? null : "robots.txt disallows it for " + robotName;
    }
}
