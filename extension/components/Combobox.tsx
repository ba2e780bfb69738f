// A type-ahead (ARIA 1.2 combobox with a listbox): arrows move, Enter picks, Escape closes the list.
import { useState } from 'preact/hooks';

export interface ComboOption {
  id: string;
  label: string;
  detail?: string;
}

interface ComboboxProps {
  id: string;
  label: string;
  value: string;
  options: ComboOption[];
  busy?: boolean;
  error?: string;
  hint?: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** Shown under the box when a search found nothing. */
  emptyText?: string;
  onValue: (value: string) => void;
  onPick: (option: ComboOption) => void;
}

export function Combobox(props: ComboboxProps) {
  const { id, label, value, options, busy, error, hint, emptyText } = props;
  const [active, setActive] = useState(-1);
  const [closed, setClosed] = useState(false);
  const open = !closed && options.length > 0;
  const listId = `${id}-list`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

  function onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!options.length) return;
      e.preventDefault();
      setClosed(false);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (e.key === 'Enter' && open) {
      // Enter picks the highlighted option (or the only one) instead of submitting the form.
      const option = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (option) {
        e.preventDefault();
        props.onPick(option);
        setActive(-1);
      }
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setClosed(true);
    }
  }

  return (
    <div class="field combo">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${id}-opt-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        aria-busy={busy || undefined}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        value={value}
        onInput={(e) => {
          setActive(-1);
          setClosed(false);
          props.onValue(e.currentTarget.value);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={label} class="options" hidden={!open}>
        {open &&
          options.map((o, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled on the combobox input (aria-activedescendant); the option takes no focus
            // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the input, as the ARIA combobox pattern requires
            <li
              key={o.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                props.onPick(o);
                setActive(-1);
              }}
            >
              <span>{o.label}</span>
              {o.detail && <span class="detail">{o.detail}</span>}
            </li>
          ))}
      </ul>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {busy && (
        <p class="hint" aria-live="polite">
          Searching…
        </p>
      )}
      {!busy && emptyText && value.trim().length > 1 && options.length === 0 && <p class="hint">{emptyText}</p>}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
