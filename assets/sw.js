// SCS Studio's service worker: after the first visit the app opens and works offline
// (Learn, the practice remote and its field worker, the diary).
//
// On install it keeps the page and every file the page names (Trunk's hashed script, wasm
// and style), the field worker and the icons. Pages and the unhashed files are asked of the
// network first, so a new build is seen at once, and taken from the cache when offline; a
// hashed file never changes, so it comes from the cache first.
const CACHE = 'scs-studio-v1';
const UNHASHED = ['/favicon.svg', '/icon-192.png', '/icon-512.png', '/manifest.json',
  '/field-worker_loader.js', '/field-worker.js', '/field-worker_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch('/index.html', { cache: 'no-cache' });
    const html = await page.clone().text();
    await cache.put('/index.html', page);
    const named = [...html.matchAll(/(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1]);
    await cache.addAll([...new Set([...UNHASHED, ...named])]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

/** The network's answer, kept under `key`; the kept one when the network fails. */
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw offline;
  }
}

/** The kept answer, else the network's, kept for next time. */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Every address of the app (/learn, /train, /device) is its one page.
  if (request.mode === 'navigate') event.respondWith(networkFirst(request, '/index.html'));
  else if (/-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(url.pathname)) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request, url.pathname));
});
