// Entry of the esbuild bundle: the test page (Client.jsx) inside next-auth/react's SessionProvider.
import { createRoot } from "react-dom/client";
import { SessionProvider } from "next-auth/react";
import Client from "./Client.jsx";

createRoot(document.getElementById("root")).render(
  <SessionProvider refetchOnWindowFocus={false}>
    <Client />
  </SessionProvider>,
);
