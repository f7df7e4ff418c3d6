// The drawn window of a banded grid: the first row drawn (windowStart, in steps) for the scroll container's
// scrollTop, updated as it scrolls. A change is flushed synchronously in the scroll event, as the virtualiser does
// for its own range, so the frame that shows the new scroll position already has its rows.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { windowStart } from './grid-model.ts';

export function useScrollWindow(ref: RefObject<HTMLElement | null>, enabled: boolean, rowHeight: number): number {
  const [start, setStart] = useState(0);
  const last = useRef(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled) return;
    last.current = windowStart(el.scrollTop, rowHeight);
    setStart(last.current);
    const onScroll = () => {
      const next = windowStart(el.scrollTop, rowHeight);
      if (next === last.current) return;
      last.current = next;
      flushSync(() => setStart(next));
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [ref, enabled, rowHeight]);
  return start;
}
