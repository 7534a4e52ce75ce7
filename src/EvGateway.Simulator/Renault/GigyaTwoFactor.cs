using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EvGateway.Simulator.Renault;

/// <summary>An e-mail the simulated Gigya "sent": what the owner would read in the inbox. Nothing leaves the machine.</summary>
public sealed record SimulatedEmail(string To, string Code, string? Language, DateTimeOffset SentAt);

/// <summary>
/// Gigya's second factor by e-mailed code (renault.md §1b). A login that needs it gets 403101 and a regToken living an
/// hour; the device (the <c>gmid</c> of webSdkBootstrap, sent as cookie or parameter) then walks initTFA → getEmails →
/// sendVerificationCode → completeVerification → finalizeTFA, and the next plain login from that device succeeds.
/// finalizeTFA with tempDevice=false remembers the device for 30 days; with tempDevice=true it is admitted once.
/// Codes are 6 digits, single use, replaced by a resend; five wrong codes end the gigyaAssertion (start over at initTFA).
/// </summary>
internal sealed class GigyaTwoFactor(GigyaAnswers answers, TimeProvider time)
{
    public const string Bootstrap = "accounts.webSdkBootstrap";
    public const string InitTfa = "accounts.tfa.initTFA";
    public const string GetEmails = "accounts.tfa.email.getEmails";
    public const string SendVerificationCode = "accounts.tfa.email.sendVerificationCode";
    public const string CompleteVerification = "accounts.tfa.email.completeVerification";
    public const string FinalizeTfa = "accounts.tfa.finalizeTFA";

    public const int ChallengeLifetimeSeconds = 3600;
    public const int MaxTries = 5;
    public static readonly TimeSpan RememberedDeviceLifetime = TimeSpan.FromDays(30);

    private readonly object gate = new();
    private readonly Dictionary<string, string> devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Challenge> challenges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Challenge> byAssertion = new(StringComparer.Ordinal);
    private readonly Dictionary<(string PersonId, string Gmid), DateTimeOffset> rememberedDevices = [];
    private readonly Dictionary<(string PersonId, string Gmid), DateTimeOffset> devicesAdmittedOnce = [];
    private readonly List<SimulatedEmail> outbox = [];

    /// <summary>Raised after each code "e-mailed", outside any lock.</summary>
    public event Action<SimulatedEmail>? CodeEmailed;

    public IEnumerable<(string Name, Func<HttpResponse, IReadOnlyDictionary<string, string>, JsonObject> Handler)> Methods() =>
    [
        (Bootstrap, HandleBootstrap),
        (InitTfa, (_, p) => HandleInitTfa(p)),
        (GetEmails, (_, p) => HandleGetEmails(p)),
        (SendVerificationCode, (_, p) => HandleSendVerificationCode(p)),
        (CompleteVerification, (_, p) => HandleCompleteVerification(p)),
        (FinalizeTfa, (_, p) => HandleFinalizeTfa(p)),
    ];

    public IReadOnlyList<SimulatedEmail> Emails()
    {
        lock (gate)
        {
            return [.. outbox];
        }
    }

    /// <summary>True when <paramref name="gmid"/> may log in as the person without a code (remembered, or admitted once).</summary>
    public bool Admits(RenaultPerson person, string? gmid)
    {
        if (string.IsNullOrEmpty(gmid))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var device = (person.PersonId, gmid);
        lock (gate)
        {
            return (rememberedDevices.TryGetValue(device, out var until) && now < until)
                   || (devicesAdmittedOnce.Remove(device, out var once) && now < once);
        }
    }

    /// <summary>Opens the pending challenge a 403101 login hands out; returns its regToken.</summary>
    public string StartChallenge(RenaultPerson person)
    {
        var now = time.GetUtcNow();
        var regToken = GigyaAnswers.NewToken("", 64);
        lock (gate)
        {
            foreach (var expired in challenges.Values.Where(c => c.ExpiresAt <= now).ToList())
            {
                Forget(expired);
            }

            challenges[regToken] = new Challenge(person, regToken, now.AddSeconds(ChallengeLifetimeSeconds));
        }

        return regToken;
    }

    /// <summary>Forgets every remembered device, as when the owner signs out all devices in the MyRenault account.</summary>
    public void ForgetDevices()
    {
        lock (gate)
        {
            rememberedDevices.Clear();
            devicesAdmittedOnce.Clear();
        }
    }

    /// <summary>"o***@e***.org": what Gigya shows of an address.</summary>
    public static string Obfuscate(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == address.Length - 1)
        {
            return "***";
        }

        var domain = address[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        return $"{address[0]}***@{domain[0]}***{(dot > 0 ? domain[dot..] : "")}";
    }

    private JsonObject HandleBootstrap(HttpResponse response, IReadOnlyDictionary<string, string> parameters)
    {
        string gmid;
        string ucid;
        lock (gate)
        {
            if (parameters.TryGetValue("gmid", out var known) && devices.TryGetValue(known, out var knownUcid))
            {
                (gmid, ucid) = (known, knownUcid);
            }
            else
            {
                (gmid, ucid) = (GigyaAnswers.NewToken("gmid.ver4.", 24), GigyaAnswers.NewToken("", 16));
                devices[gmid] = ucid;
            }
        }

        // A lifetime, not a date: the client judges it by its own clock.
        var cookie = new CookieOptions { Path = "/", HttpOnly = true, MaxAge = TimeSpan.FromDays(365) };
        response.Cookies.Append("gmid", gmid, cookie);
        response.Cookies.Append("ucid", ucid, cookie);
        response.Cookies.Append("hasGmid", "ver4", cookie);
        return answers.Success();
    }

    private JsonObject HandleInitTfa(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("regToken", out var regToken) || !parameters.TryGetValue("provider", out var provider)
            || !parameters.TryGetValue("mode", out var mode))
        {
            return answers.MissingParameter();
        }

        if (provider != "gigyaEmail")
        {
            return answers.InvalidParameter("Invalid provider");
        }

        // The accounts already have their e-mail as a factor: "register" would enrol a new one.
        if (mode != "verify")
        {
            return answers.InvalidParameter("Invalid mode");
        }

        string assertion;
        lock (gate)
        {
            if (!challenges.TryGetValue(regToken, out var challenge))
            {
                return answers.InvalidParameter("Invalid regToken");
            }

            if (challenge.ExpiresAt <= time.GetUtcNow())
            {
                return Expired();
            }

            if (!parameters.TryGetValue("gmid", out var gmid) || !devices.ContainsKey(gmid))
            {
                return answers.InvalidParameter("Missing or unknown gmid");
            }

            if (challenge.Assertion is { } previous)
            {
                byAssertion.Remove(previous);
            }

            assertion = GigyaAnswers.NewToken("", 96);
            challenge.Restart(gmid, assertion);
            byAssertion[assertion] = challenge;
        }

        var answer = answers.Success();
        answer["gigyaAssertion"] = assertion;
        return answer;
    }

    private JsonObject HandleGetEmails(IReadOnlyDictionary<string, string> parameters)
    {
        RenaultPerson person;
        lock (gate)
        {
            if (LiveChallenge(parameters, out var failure) is not { } challenge)
            {
                return failure;
            }

            person = challenge.Person;
        }

        var answer = answers.Success();
        answer["emails"] = new JsonArray(new JsonObject { ["id"] = EmailId(person), ["obfuscated"] = Obfuscate(person.Username) });
        return answer;
    }

    private JsonObject HandleSendVerificationCode(IReadOnlyDictionary<string, string> parameters)
    {
        SimulatedEmail email;
        string phvToken;
        lock (gate)
        {
            if (LiveChallenge(parameters, out var failure) is not { } challenge)
            {
                return failure;
            }

            if (!parameters.TryGetValue("emailID", out var emailId))
            {
                return answers.MissingParameter();
            }

            if (emailId != EmailId(challenge.Person))
            {
                return answers.InvalidParameter("Invalid emailID");
            }

            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            phvToken = GigyaAnswers.NewToken("", 48);
            challenge.CodeSent(phvToken, code);
            email = new SimulatedEmail(challenge.Person.Username, code, parameters.GetValueOrDefault("lang"), time.GetUtcNow());
            outbox.Add(email);
        }

        CodeEmailed?.Invoke(email);
        var answer = answers.Success();
        answer["phvToken"] = phvToken;
        return answer;
    }

    private JsonObject HandleCompleteVerification(IReadOnlyDictionary<string, string> parameters)
    {
        string providerAssertion;
        lock (gate)
        {
            if (LiveChallenge(parameters, out var failure) is not { } challenge)
            {
                return failure;
            }

            if (!parameters.TryGetValue("phvToken", out var phvToken) || !parameters.TryGetValue("code", out var code))
            {
                return answers.MissingParameter();
            }

            // Unknown, replaced by a resend, or already used: a code works once, for the latest e-mail only.
            if (challenge.PhvToken is not { } current || !FixedTimeEquals(current, phvToken))
            {
                return answers.InvalidParameter("Invalid phvToken");
            }

            if (!FixedTimeEquals(challenge.Code!, code))
            {
                if (++challenge.Tries < MaxTries)
                {
                    return answers.InvalidParameter("Wrong verification code");
                }

                byAssertion.Remove(challenge.Assertion!);
                challenge.Restart(challenge.Gmid!, assertion: null);
                return answers.Error(403120, "Maximum allowed tries exceeded", "Too many attempts", 403, "Forbidden");
            }

            providerAssertion = GigyaAnswers.NewToken("", 64);
            challenge.Verified(providerAssertion);
        }

        var answer = answers.Success();
        answer["providerAssertion"] = providerAssertion;
        return answer;
    }

    private JsonObject HandleFinalizeTfa(IReadOnlyDictionary<string, string> parameters)
    {
        lock (gate)
        {
            if (LiveChallenge(parameters, out var failure) is not { } challenge)
            {
                return failure;
            }

            if (!parameters.TryGetValue("providerAssertion", out var providerAssertion) || !parameters.TryGetValue("regToken", out var regToken))
            {
                return answers.MissingParameter();
            }

            if (regToken != challenge.RegToken)
            {
                return answers.InvalidParameter("Invalid regToken");
            }

            if (challenge.ProviderAssertion is not { } verified || !FixedTimeEquals(verified, providerAssertion))
            {
                return answers.InvalidParameter("Invalid providerAssertion");
            }

            // The device that started the check is the one to remember: its gmid must come along.
            if (!parameters.TryGetValue("gmid", out var gmid) || gmid != challenge.Gmid)
            {
                return answers.InvalidParameter("Missing or unknown gmid");
            }

            var tempDevice = false;
            if (parameters.TryGetValue("tempDevice", out var temp) && !bool.TryParse(temp, out tempDevice))
            {
                return answers.InvalidParameter("Invalid tempDevice");
            }

            var device = (challenge.Person.PersonId, gmid);
            if (tempDevice)
            {
                devicesAdmittedOnce[device] = challenge.ExpiresAt;
            }
            else
            {
                rememberedDevices[device] = time.GetUtcNow() + RememberedDeviceLifetime;
            }

            Forget(challenge);
        }

        return answers.Success();
    }

    // Called under the lock.
    private Challenge? LiveChallenge(IReadOnlyDictionary<string, string> parameters, out JsonObject failure)
    {
        failure = answers.InvalidParameter("Invalid gigyaAssertion");
        if (!parameters.TryGetValue("gigyaAssertion", out var assertion))
        {
            failure = answers.MissingParameter();
            return null;
        }

        if (!byAssertion.TryGetValue(assertion, out var challenge))
        {
            return null;
        }

        if (challenge.ExpiresAt <= time.GetUtcNow())
        {
            failure = Expired();
            return null;
        }

        return challenge;
    }

    private void Forget(Challenge challenge)
    {
        challenges.Remove(challenge.RegToken);
        if (challenge.Assertion is { } assertion)
        {
            byAssertion.Remove(assertion);
        }
    }

    private JsonObject Expired() => answers.Error(403002, "regToken expired", "Request has expired", 403, "Forbidden");

    private static string EmailId(RenaultPerson person) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("email:" + person.PersonId)))[..24];

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    /// <summary>One pending login: its regToken, the device working on it and where the code check stands.</summary>
    private sealed class Challenge(RenaultPerson person, string regToken, DateTimeOffset expiresAt)
    {
        public RenaultPerson Person { get; } = person;
        public string RegToken { get; } = regToken;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public string? Gmid { get; private set; }
        public string? Assertion { get; private set; }
        public string? PhvToken { get; private set; }
        public string? Code { get; private set; }
        public int Tries { get; set; }
        public string? ProviderAssertion { get; private set; }

        public void Restart(string gmid, string? assertion)
        {
            (Gmid, Assertion, PhvToken, Code, Tries, ProviderAssertion) = (gmid, assertion, null, null, 0, null);
        }

        public void CodeSent(string phvToken, string code) => (PhvToken, Code, Tries) = (phvToken, code, 0);

        public void Verified(string providerAssertion) => (PhvToken, Code, ProviderAssertion) = (null, null, providerAssertion);
    }
}
