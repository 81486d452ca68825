<?php
/*
 * Publish one post through WordPress's own API (wp_insert_post: hooks, caches, counts, as the
 * editor's "Publish" button does) and print the moment it was committed (microtime).
 *   php publish.php "TITLE"        (run by compare.py for publish-to-visible)
 *   php publish.php --delete ID    (clean-up)
 * /etc/wordpress/config-akhbarbench.php must be in place (run.sh writes it).
 */
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['WORDPRESS_CONFIG'] = 'akhbarbench';
require '/usr/share/wordpress/wp-load.php';

if ($argv[1] === '--delete') {
    foreach (array_slice($argv, 2) as $id) {
        wp_delete_post((int) $id, true);
    }
    exit(0);
}
$id = wp_insert_post([
    'post_title' => $argv[1],
    'post_content' => '<p>' . esc_html($argv[1]) . '</p>',
    'post_status' => 'publish',
    'post_author' => 1,
], true);
if (is_wp_error($id)) {
    fwrite(STDERR, $id->get_error_message() . "\n");
    exit(1);
}
printf("%d %.6f\n", $id, microtime(true));
