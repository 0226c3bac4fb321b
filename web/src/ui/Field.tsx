import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "number" | "email" | "color" | "date" | "search" | "password";
  errors?: readonly string[] | undefined;
  hint?: string;
  required?: boolean;
  dir?: "ltr" | "rtl" | "auto";
  min?: number;
  max?: number;
  autocomplete?: string;
  list?: string;
}

/** A labelled input with its hint and the API's messages for it, tied by aria-describedby. */
export function Field(props: FieldProps) {
  const id = useId();
  const errors = props.errors ?? [];
  const described = [props.hint ? `${id}-hint` : "", errors.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={`field${errors.length ? " field-invalid" : ""}`}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? "text"}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        required={props.required}
        dir={props.dir}
        min={props.min}
        max={props.max}
        autocomplete={props.autocomplete}
        list={props.list}
        aria-invalid={errors.length ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
      {errors.length > 0 && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {errors.join(" ")}
        </p>
      )}
    </div>
  );
}

interface SelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
}

export function Select(props: SelectProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Notice({ kind, children }: { kind: "error" | "ok" | "info"; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
