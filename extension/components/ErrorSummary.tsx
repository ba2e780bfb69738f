// After a failed save: what needs attention, each item a link to its field. Focused when it appears,
// so the keyboard and screen readers start from it; the fields keep what was typed.
import { useEffect, useRef } from 'preact/hooks';

export interface SummaryItem {
  /** The field's id (the link's target); null when the problem is not one field's. */
  fieldId: string | null;
  message: string;
}

export function ErrorSummary({ id, title, items }: { id: string; title: string; items: SummaryItem[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, [items]);
  return (
    <div ref={box} id={id} class="failure error-summary" role="alert" tabIndex={-1} aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>{title}</strong>
      </p>
      <ul>
        {items.map((item) => (
          <li key={`${item.fieldId}:${item.message}`}>
            {item.fieldId ? (
              <a
                href={`#${item.fieldId}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(item.fieldId!)?.focus();
                }}
              >
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
