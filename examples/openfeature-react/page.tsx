/**
 * The example's page: typed values through the generated React hooks (`target/react/`), the same
 * on the server and in the browser, and a region switch that changes the visitor's context.
 */
import { useState } from "react";
import { OpenFeature } from "@openfeature/web-sdk";
import { demoEngineeringFlags, heroBanner } from "./target/react/index.js";

/** The regions the page can switch between, and what the emulator's activities do with them. */
export const REGIONS = ["eu", "us"] as const;

/** The page of one visitor. */
export function Page({ region }: { region: string }) {
  const [current, setCurrent] = useState(region);
  // Typed: a number, a union of three strings, an offer object; each checked by its schema.
  const search = demoEngineeringFlags.useSearchProviderIdDetails();
  const searchProviderId: number = search.value;
  const checkout = demoEngineeringFlags.useCheckoutFlow();
  const headline: string = heroBanner.useHeadline();
  const cta = heroBanner.useCta();
  const next = REGIONS.find((each) => each !== current) ?? "eu";
  return (
    <main>
      <h1 id="headline">{headline}</h1>
      <p>
        Search backend <span id="search-provider">{searchProviderId}</span>, checkout <span id="checkout">{checkout}</span> (experience <span id="experience">{search.variant ?? "none"}</span>, region <span id="region">{current}</span>)
      </p>
      <p>
        <a id="cta" href={cta.url}>
          {cta.label}
        </a>
      </p>
      <button
        id="switch-region"
        type="button"
        onClick={() => {
          setCurrent(next);
          void OpenFeature.setContext({ ...OpenFeature.getContext(), region: next });
        }}
      >
        Switch to region {next}
      </button>
    </main>
  );
}
