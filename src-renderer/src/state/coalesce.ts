/**
 * One refresh at a time per thing. A request while one runs is folded into a
 * single follow-up run, so a burst of 200 events costs at most two fetches and
 * answers can never arrive out of order. Every caller's promise resolves once a
 * run that started after its request has finished.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let next: Promise<void> | null = null

  const start = (): Promise<void> => {
    running = run()
      .catch(() => undefined)
      .finally(() => {
        running = null
      })
    return running
  }

  return () => {
    if (running === null) return start()
    next ??= running.then(() => {
      next = null
      return start()
    })
    return next
  }
}

/** coalesce() per key (e.g. per negotiation id). */
export function coalesceByKey(run: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const byKey = new Map<string, () => Promise<void>>()
  return (key) => {
    let refresh = byKey.get(key)
    if (!refresh) byKey.set(key, (refresh = coalesce(() => run(key))))
    return refresh()
  }
}
