vcl 4.1;
# Varnish in front of several Akhbar app servers (Debian: apt install varnish varnish-modules).
# Run e.g.: varnishd -a :80 -f /etc/varnish/akhbar.vcl -s malloc,1g
# Tested on loopback against two gunicorn servers by tests/deploy/test_varnish.py.
# Replace the backend addresses and the purgers ACL with your app servers' addresses.
#
# What it does:
# * caches anonymous pages, feeds, sitemaps and static files for as long as Akhbar says
#   (Cache-Control s-maxage), and serves them stale for a while if every app server is down;
# * passes what belongs to one reader or to staff: /admin/, /comments/ (the comment form's
#   token and a reader's pending comments), /preview/, the read counter, every request that is
#   not GET/HEAD, and any request carrying a session or pending-comment cookie;
# * drops other cookies (csrftoken, analytics…) from cacheable requests: no public page
#   depends on them, and they would otherwise make every reader a cache miss;
# * strips tracking query parameters (utm_*, fbclid, gclid…) and sorts the query string,
#   so one page is one cache object;
# * tags each object with the page's Surrogate-Key header (vmod xkey) and accepts
#   "PURGE / + xkey: k1 k2" only from the app servers: Akhbar's job queue sends one on every
#   publish, edit, unpublish and approved comment (akhbar/edge), purging exactly the pages
#   that show what changed.

import std;
import directors;
import xkey;

probe akhbar_health {
    .url = "/robots.txt";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = akhbar_health;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = akhbar_health;
}

# Who may purge: the app servers (their job workers send the purges).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "xkey header required"));
        }
        # Hard purge: the next reader gets the new page, never the old one in grace.
        set req.http.x-purged = xkey.purge(req.http.xkey);
        return (synth(200, "Purged"));
    }
    if (req.method == "BAN" || req.method == "REFRESH") {
        return (synth(405, "Method not allowed"));
    }

    # Staff, per-reader fragments and writes go to the app, with their cookies.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|comments|preview|hit)/") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|akhbar_comments)=") {
        return (pass);
    }

    # One page, one object: no fragment, no tracking parameters, sorted query string.
    # Each rewrite only when there is something to rewrite: every "set req.url" copies the
    # URL (an Arabic slug is ~500 bytes percent-encoded) and logs it again. (No throughput
    # change was measurable on a 2-core machine; it is simply work a hit does not need.)
    if (req.url ~ "#") {
        set req.url = regsub(req.url, "#.*$", "");
    }
    if (req.url ~ "[?&](utm_[A-Za-z_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|twclid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src)=") {
        set req.url = regsuball(req.url, "&(utm_[A-Za-z_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|twclid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src)=[^&]*", "");
        set req.url = regsuball(req.url, "\?(utm_[A-Za-z_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|twclid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src)=[^&]*&?", "?");
        set req.url = regsub(req.url, "\?$", "");
    }
    if (req.url ~ "\?.*&") {
        set req.url = std.querysort(req.url);
    }

    # Public pages are the same for every anonymous reader: drop what would split the cache
    # (the site has one language, so Django's "Vary: Accept-Language" has one answer).
    unset req.http.Cookie;
    unset req.http.Accept-Language;

    # Serve stale for up to 6 h when no app server answers, 60 s (revalidating) otherwise.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # X-Cache is Varnish's own (HIT/MISS/PASS); the app's page-cache status is not stored.
    unset beresp.http.X-Cache;
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        # Remember "do not cache" for 2 minutes (hit-for-miss), don't serialise readers.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The keys are stored once, as xkey's index; the Cache-Tag copy (for CDNs that read that
    # name) and Accept-Language in Vary (unset in vcl_recv, so it has one value) are dropped:
    # every stored header is copied into every hit.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        unset beresp.http.Surrogate-Key;
    }
    unset beresp.http.Cache-Tag;
    if (beresp.http.Vary ~ "(?i)accept-language") {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*accept-language\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^[,\s]+|[,\s]+$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    if (beresp.status == 404 || beresp.status == 410) {
        set beresp.ttl = 60s;
    }
    if (beresp.http.Content-Type ~ "^(text/|application/(rss\+xml|atom\+xml|xml|json|javascript))") {
        set beresp.do_gzip = true;
    }
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Readers get no internal headers. The app servers (the purgers ACL) may ask for an
    # object's keys with "Akhbar-Edge-Debug: keys", to see what a purge would reach.
    if (req.http.Akhbar-Edge-Debug == "keys" && client.ip ~ purgers) {
        set resp.http.Surrogate-Key = resp.http.xkey;
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    return (deliver);
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.X-Purged = req.http.x-purged;
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
