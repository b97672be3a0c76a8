package konomi.fetch;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;

/**
 * robots.txt rules per origin (scheme, host, port), parsed by crawler-commons and kept for the life of the process.
 * A missing robots.txt (4xx) allows everything; a server error disallows everything until the process ends (the
 * usual reading: the site is not in a state to be crawled); a robots.txt that cannot be reached at all is not
 * kept, so the next request asks again.
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

    /** Whether the robot may fetch this URL; fetches the origin's robots.txt once (racing callers may both fetch it). */
    boolean allowed(URI uri, String robotName, Getter getter) throws InterruptedException {
        URI txt = robotsTxt(uri);
        String origin = txt.toString();
        BaseRobotRules r = rules.get(origin);
        if (r == null) {
            Answer a = getter.get(txt);
            if (a.status() < 0) {
                return true;
            }
            synchronized (parser) {
                r = a.status() / 100 == 2 ? parser.parseContent(origin, a.body(), a.contentType(), List.of(robotName)) : parser.failedFetch(a.status());
            }
            rules.put(origin, r);
        }
        return r.isAllowed(uri.toString());
    }
}
