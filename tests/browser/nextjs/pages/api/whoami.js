// Next.js server code reading the session the Python server issued: next-auth's own getToken and getServerSession.
// Only the secret (NEXTAUTH_SECRET, shared with Python) and the session-shaping callbacks are needed here: sign-in
// happens in Python, so this side has no providers.
import { getServerSession } from "next-auth/next";
import { getToken } from "next-auth/jwt";

export const authOptions = {
  providers: [],
  callbacks: {
    async session({ session, token }) {
      session.user.name = token.name;
      session.user.id = token.sub;
      return session;
    },
  },
};

export default async function handler(req, res) {
  const session = await getServerSession(req, res, authOptions);
  const token = await getToken({ req });
  res.status(200).json({ session, token });
}
