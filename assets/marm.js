// Loaded as a module, so only browsers GOV.UK Frontend supports run it.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
