// The browser tests' page component (tests/browser/app/src/Client.jsx, copied to components/ by the fixture).
export { default } from "../components/Client";
