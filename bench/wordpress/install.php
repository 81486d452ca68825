<?php
/*
 * Install WordPress non-interactively (wp-cli is not packaged in Debian): load WordPress in
 * installing mode and call wp_install(), then set what the benchmark needs. Run by run.sh as
 *   WP_BENCH_URL=http://127.0.0.1:PORT php install.php
 * with /etc/wordpress/config-akhbarbench.php in place (Debian's wp-config.php picks it through
 * the WORDPRESS_CONFIG variable, which nginx also passes).
 */
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['WORDPRESS_CONFIG'] = 'akhbarbench';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (!is_blog_installed()) {
    // Arabic, as an Arabic news site would run it (Debian's wordpress-l10n ships ar.mo).
    wp_install('أخبار', 'admin', 'admin@example.invalid', true, '', wp_generate_password(24), 'ar');
}
// Debian's default theme (package wordpress-theme-twentytwentythree). Without a theme
// WordPress answers every front-end page with an empty 200, which is no page to measure.
if (!wp_get_theme('twentytwentythree')->exists()) {
    fwrite(STDERR, "Twenty Twenty-Three is missing: apt-get install wordpress-theme-twentytwentythree\n");
    exit(1);
}
switch_theme('twentytwentythree');
update_option('WPLANG', 'ar');
update_option('posts_per_page', 12);       // Akhbar's ARTICLES_PER_PAGE
update_option('posts_per_rss', 10);
update_option('comments_per_page', 50);
update_option('blog_public', 1);
update_option('permalink_structure', '/%postname%/');
delete_option('rewrite_rules');            // rebuilt by WordPress on the next request
// The site's language is the WPLANG option, which every page request reads; get_locale() here
// is this installer's own, fixed before the option was written (it printed en_US on a fresh
// database while the site served Arabic).
echo "WordPress installed: " . get_option('siteurl') . " (site language " . get_option('WPLANG')
    . ", theme " . get_option('stylesheet') . ")\n";
