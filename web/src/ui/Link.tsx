import type { ComponentChildren } from "preact";
import { followLink } from "../lib/router";

export function Link({ href, children, class: className }: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a href={href} class={className} onClick={(event) => followLink(event, href)}>
      {children}
    </a>
  );
}
