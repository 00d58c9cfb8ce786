import type { Redis } from 'ioredis';

/**
 * Calls `onRecovered` each time `connection` is ready again after losing Redis (not on the first
 * connect). Redis may have restarted empty, so the caller rebuilds what it needs. Returns a function
 * that stops watching.
 */
export function onRedisRecovered(connection: Redis, onRecovered: () => void): () => void {
  let lost = false;
  const onClose = () => {
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    onRecovered();
  };
  connection.on('close', onClose);
  connection.on('ready', onReady);
  return () => {
    connection.off('close', onClose);
    connection.off('ready', onReady);
  };
}
