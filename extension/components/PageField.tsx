// A labelled text input with its inline error, for the options and claims pages. The popup's Field.tsx
// does the same; a copy here keeps Field in the popup's own first chunk (shared by three pages it would
// move to a shared chunk, and the popup's first view would grow by the cost of the split).
import type { InputHTMLAttributes } from 'preact';

interface PageFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onInput' | 'label' | 'value' | 'id'> {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  onValue: (value: string) => void;
}

export function PageField({ id, label, value, error, hint, onValue, ...rest }: PageFieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onInput={(e) => onValue(e.currentTarget.value)}
        {...rest}
      />
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
