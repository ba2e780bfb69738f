// The options page opens at a section named in its address (`options.html#fees`, from the popup's
// "Open settings"): once that section has loaded, it is scrolled to and its heading takes focus.
import { useEffect } from 'preact/hooks';

export function useHashFocus(sectionId: string, ready: boolean, heading: { current: HTMLElement | null }): void {
  useEffect(() => {
    if (!ready) return;
    const go = () => {
      if (location.hash !== `#${sectionId}`) return;
      heading.current?.scrollIntoView({ block: 'start' });
      heading.current?.focus();
    };
    go();
    window.addEventListener('hashchange', go);
    return () => window.removeEventListener('hashchange', go);
  }, [sectionId, ready, heading]);
}
