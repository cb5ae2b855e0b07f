import { sentimentContract } from "../../testing/contracts/sentimentContract.ts";
import { lexiconSentiment } from "./lexiconSentiment.ts";

sentimentContract("lexiconSentiment", () => ({ adapter: lexiconSentiment() }));
