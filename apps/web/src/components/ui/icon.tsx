import { createElement, type JSX, type SVGProps } from 'react';

/** An icon's shape: its SVG elements and their attributes (Lucide's format). */
export type IconNode = readonly (readonly [tag: string, attributes: Readonly<Record<string, string>>])[];
export type IconProps = SVGProps<SVGSVGElement>;
/** One of the icons in icons.tsx, as EmptyState takes it. */
export type IconComponent = (props: IconProps) => JSX.Element;

const labelled = (props: IconProps) =>
  Object.entries(props).some(([key, value]) => (key.startsWith('aria-') || key === 'role' || key === 'title') && value != null);

/**
 * A Lucide icon as plain SVG, the markup lucide-react renders (24 px, stroke in the text colour,
 * hidden from assistive technology unless labelled). No hooks, no context: it renders on the
 * server and works unchanged inside a client component. The icons are in icons.tsx (generated).
 */
export function Icon({ classes, node, className, children, ...props }: IconProps & { classes: string; node: IconNode }) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={24}
      height={24}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className ? `lucide ${classes} ${className}` : `lucide ${classes}`}
      {...(children || labelled(props) ? {} : { 'aria-hidden': true })}
      {...props}
    >
      {node.map(([tag, attributes], i) => createElement(tag, { key: i, ...attributes }))}
      {children}
    </svg>
  );
}
