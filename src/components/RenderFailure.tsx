/**
 * What the page shows when rendering fails, instead of an empty page: the reason and a way to
 * try again. {@link RenderFailureBoundary} catches any error thrown while its children render
 * or update (a client that refuses its options, a component bug) and replaces them with
 * {@link RenderFailurePanel}; "Try again" renders them afresh.
 */
import { ErrorBoundary, type JSX } from "solid-js";
import "./RenderFailure.css";

/**
 * The reason of a failure as a sentence a person can read.
 * @param error - whatever was thrown.
 * @returns for example "TypeError: source must be a non-empty string".
 */
export function failureReason(error: unknown): string {
  if (error instanceof Error) return error.message === "" ? error.name : `${error.name}: ${error.message}`;
  const text = String(error);
  return text === "" ? "Unknown error" : text;
}

export interface RenderFailurePanelProps {
  error: unknown;
  onRetry: () => void;
}

/** The failure panel: title, reason (as text, any length), retry. */
export function RenderFailurePanel(props: RenderFailurePanelProps) {
  return (
    <main class="failure" role="alert" aria-labelledby="failure-title">
      <h1 class="failure__title" id="failure-title">
        The dashboard could not be shown
      </h1>
      <p class="failure__reason">
        <span class="failure__reason-label">Reason: </span>
        <span data-testid="failure-reason">{failureReason(props.error)}</span>
      </p>
      <button type="button" class="button failure__retry" onClick={() => props.onRetry()}>
        Try again
      </button>
    </main>
  );
}

/** Renders `children`, or the failure panel if they throw. */
export function RenderFailureBoundary(props: { children: JSX.Element }) {
  return <ErrorBoundary fallback={(error, reset) => <RenderFailurePanel error={error} onRetry={reset} />}>{props.children}</ErrorBoundary>;
}
