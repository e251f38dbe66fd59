/**
 * The page is never blank: an empty `?source=` watches the default source, and anything that
 * throws while the dashboard renders shows a panel with the reason and "Try again".
 */
import { fireEvent, render, screen } from "@solidjs/testing-library";
import { createFakeWebSocket } from "@pulseboard/realtime-client/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DashboardServices } from "../../src/app/dashboard-context.ts";
import { pageOptions } from "../../src/app/page-options.ts";
import { App } from "../../src/App.tsx";
import { RenderFailureBoundary } from "../../src/components/RenderFailure.tsx";

afterEach(() => vi.unstubAllGlobals());

describe("page options", () => {
  it("treats an empty or blank ?source= as the default source", () => {
    expect(pageOptions("?source=")).toEqual({ source: "default", hud: false });
    expect(pageOptions("?source=%20&hud")).toEqual({ source: "default", hud: true });
    expect(pageOptions("")).toEqual({ source: "default", hud: false });
    expect(pageOptions("?source=eu-west")).toEqual({ source: "eu-west", hud: false });
  });
});

describe("App", () => {
  it("renders the dashboard for the default source when given an empty source", async () => {
    // The page's own client, over a fake socket and a fetch that never answers.
    const sockets = createFakeWebSocket();
    vi.stubGlobal("WebSocket", sockets.WebSocket);
    vi.stubGlobal("fetch", () => new Promise(() => {}));

    render(() => <App source="" />);

    expect(screen.queryByRole("alert")).toBeNull();
    expect(document.querySelector(".header__source-name")?.textContent).toBe("default");
    const socket = await sockets.waitForSocket();
    expect(new URL(socket.url).searchParams.get("source")).toBe("default");
  });

  it("shows the reason and a retry instead of an empty page when rendering throws", () => {
    const broken = new Proxy({} as DashboardServices, {
      get: () => {
        throw new TypeError("services are not available");
      },
    });
    const { container } = render(() => <App services={broken} />);

    const panel = screen.getByRole("alert");
    expect(panel.textContent).toContain("could not be shown");
    expect(screen.getByTestId("failure-reason").textContent).toBe("TypeError: services are not available");
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    expect(container.textContent).not.toBe("");
  });
});

describe("RenderFailureBoundary", () => {
  it("renders the children again on retry", () => {
    let attempts = 0;
    function Flaky() {
      attempts++;
      if (attempts === 1) throw new Error("first render failed");
      return <p>rendered</p>;
    }
    render(() => (
      <RenderFailureBoundary>
        <Flaky />
      </RenderFailureBoundary>
    ));
    expect(screen.getByTestId("failure-reason").textContent).toBe("Error: first render failed");

    fireEvent.click(screen.getByRole("button", { name: "Try again" }));

    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByText("rendered")).toBeTruthy();
    expect(attempts).toBe(2);
  });
});
