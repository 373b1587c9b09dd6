export { t as calcPrice } from "./prices.mjs";
