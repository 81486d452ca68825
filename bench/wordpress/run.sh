#!/usr/bin/env bash
# Akhbar and WordPress side by side, on the same generated site and the same wrk workload.
#
#   bench/wordpress/run.sh [ARTICLES] [--postgres]      # default 100000 articles, Akhbar on SQLite
#   DURATION=5 bench/wordpress/run.sh 10000
#
# Installs (if missing) Debian's wordpress with its default theme (Twenty Twenty-Three),
# wordpress-l10n, php-fpm (OPcache is on in PHP-FPM by
# default), nginx, wrk, varnish and varnish-modules; uses the MariaDB already running on
# 127.0.0.1:3306 (root, no password); writes the site with bench/sitegen.py both into
# Akhbar's database and as a WXR 1.2
# file, installs WordPress without a browser (install.php calls wp_install()), loads the WXR
# into it (wxr_to_sql.py), then bench/wordpress/compare.py runs the identical wrk workload
# against both, without and with each system's page cache (Akhbar: its page-cache middleware;
# WordPress: nginx fastcgi_cache, since no page-cache plugin is packaged in Debian), then the
# edge pass: Akhbar behind Varnish (deploy/varnish/akhbar.vcl, purges through the job queue)
# against WordPress behind fastcgi_cache, cached req/s and publish-to-visible (--publishes N).
#
# Everything listens on 127.0.0.1 only. On exit (normal or not) the trap stops php-fpm, nginx
# and gunicorn, removes the WordPress config file and drops the WordPress database (set
# KEEP_DB=1 to keep it for the next run; it is reused when it holds the same number of posts).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ARTICLES=${1:-100000}
shift || true
PY=${PYTHON:-.venv/bin/python}
DB=akhbar_wp_bench
CONF=/etc/wordpress/config-akhbarbench.php
MYSQL=(mysql -uroot -h127.0.0.1 -P3306 --default-character-set=utf8mb4)
WORK=$(mktemp -d /tmp/akhbar-wp-bench.XXXXXX)
chmod 755 "$WORK"

cleanup() {
    set +e
    for pidfile in "$WORK"/*.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    sleep 1
    rm -f "$CONF"
    if [ -z "${KEEP_DB:-}" ]; then "${MYSQL[@]}" -e "DROP DATABASE IF EXISTS $DB"; fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

need=()
# wordpress-theme-twentytwentythree: only a Recommends of Debian's wordpress, so
# --no-install-recommends leaves WordPress with no theme, and then every front-end page is an
# empty 200 (queries run, nothing renders). Runs where WordPress made 19 queries for the
# article (41-46 with the theme) measured that; compare.py now refuses a page without its
# content.
for pkg in wordpress wordpress-theme-twentytwentythree wordpress-l10n php-fpm php-mysql nginx \
    wrk varnish varnish-modules; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} (Debian packages; no service is started)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
PHP_FPM=$(ls /usr/sbin/php-fpm* | head -1)

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WP_PORT=$(free_port)

# --- The content: Akhbar's database and the WXR file, from the same generator -----------------
"$PY" - "$ARTICLES" "$@" <<'EOF'
import sys
sys.path.insert(0, "bench")
import pages
pages.ensure_site("postgres" if "--postgres" in sys.argv else "sqlite", int(sys.argv[1]))
EOF
WXR=var/bench-sites/wxr-$ARTICLES.xml
if [ ! -s "$WXR" ]; then
    "$PY" bench/sitegen.py --articles "$ARTICLES" --no-db --wxr "$WXR.part"
    mv "$WXR.part" "$WXR"
fi

# --- WordPress ---------------------------------------------------------------------------------
salt() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(48))'; }
cat > "$CONF" <<EOF
<?php
/* Written by Akhbar's bench/wordpress/run.sh and removed when it exits. */
define('DB_NAME', '$DB');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1:3306');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', 'http://127.0.0.1:$WP_PORT');
define('WP_SITEURL', 'http://127.0.0.1:$WP_PORT');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
define('AUTH_KEY', '$(salt)'); define('SECURE_AUTH_KEY', '$(salt)');
define('LOGGED_IN_KEY', '$(salt)'); define('NONCE_KEY', '$(salt)');
define('AUTH_SALT', '$(salt)'); define('SECURE_AUTH_SALT', '$(salt)');
define('LOGGED_IN_SALT', '$(salt)'); define('NONCE_SALT', '$(salt)');
\$table_prefix = 'wp_';
EOF
chmod 644 "$CONF"

posts=$("${MYSQL[@]}" -N -e "SELECT COUNT(*) FROM $DB.wp_posts WHERE post_type='post'" 2>/dev/null || echo 0)
if [ "$posts" != "$ARTICLES" ]; then
    "${MYSQL[@]}" -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"
    php bench/wordpress/install.php
    echo "loading $WXR into WordPress"
    started=$(date +%s)
    "$PY" bench/wordpress/wxr_to_sql.py "$WXR" | "${MYSQL[@]}" "$DB"
    echo "loaded in $(( $(date +%s) - started )) s"
else
    php bench/wordpress/install.php   # same database, new port: refresh the options
fi

# --- Server configuration (started and stopped by compare.py) ----------------------------------
cat > "$WORK/php-fpm.conf" <<EOF
[global]
pid = $WORK/php-fpm.pid
error_log = $WORK/php-fpm.log
daemonize = no

[bench]
user = www-data
group = www-data
listen = $WORK/php-fpm.sock
listen.owner = www-data
listen.group = www-data
; Debian's default pool size (pm.max_children = 5), kept static so no spawning during runs.
pm = static
pm.max_children = 5
; Like gunicorn's --timeout 120 on the Akhbar side: no request runs longer than that.
request_terminate_timeout = 120s
php_admin_value[opcache.enable] = 1
php_admin_value[opcache.memory_consumption] = 128
EOF

nginx_conf() {  # $1 = file, $2 = "cache", "cache-gzip" or "nocache"
    local cache_lines="" gzip_line=""
    # cache-gzip: Debian's own nginx.conf has "gzip on;" (text/html, level 1): what a
    # WordPress on Debian's nginx sends readers whose browsers accept gzip.
    if [ "$2" = cache-gzip ]; then gzip_line="gzip on;"; fi
    if [ "$2" != nocache ]; then
        cache_lines="
            fastcgi_cache wp;
            fastcgi_cache_key \"\$scheme\$request_method\$host\$request_uri\";
            fastcgi_cache_valid 200 301 302 10m;
            fastcgi_cache_use_stale updating error timeout;
            fastcgi_cache_lock on;
            fastcgi_cache_bypass \$skip_cache;
            fastcgi_no_cache \$skip_cache;
            add_header X-Cache \$upstream_cache_status;"
    fi
    cat > "$1" <<EOF
user www-data;
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    $gzip_line
    fastcgi_cache_path $WORK/fcache levels=1:2 keys_zone=wp:32m inactive=60m;
    map \$http_cookie \$skip_cache {
        default 0;
        ~*(wordpress_logged_in|comment_author|wp-postpass) 1;
    }
    server {
        listen 127.0.0.1:$WP_PORT;
        server_name 127.0.0.1;
        root /usr/share/wordpress;
        index index.php;
        location / { try_files \$uri \$uri/ /index.php?\$args; }
        location ~ \.php\$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            # Debian's fastcgi_params sends the host without the port: WordPress would then
            # redirect every page to itself (its home URL has the port).
            fastcgi_param HTTP_HOST \$host:\$server_port;
            fastcgi_param WORDPRESS_CONFIG akhbarbench;
            fastcgi_pass unix:$WORK/php-fpm.sock;$cache_lines
        }
    }
}
EOF
}
nginx_conf "$WORK/nginx-nocache.conf" nocache
nginx_conf "$WORK/nginx-cache.conf" cache
nginx_conf "$WORK/nginx-cache-gzip.conf" cache-gzip

"$PY" bench/wordpress/compare.py --articles "$ARTICLES" --work "$WORK" --wp-port "$WP_PORT" \
    --php-fpm "$PHP_FPM" --duration "${DURATION:-10}" "$@"
