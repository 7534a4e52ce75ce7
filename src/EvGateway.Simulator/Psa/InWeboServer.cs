using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The inWebo OTP server behind PSA's remote commands, for the demo account: the SMS codes PSA texts, soft-token
/// activation (ActionSetup/ActionFinalize activate, then ms), OTP challenges, and the OTPs the remote-token endpoint
/// accepts once. It checks every proof a client sends (Kma, PIN, R0-R2) with its own keys and answers NOK:… as the
/// real server is known or believed to. Thread-safe.
/// </summary>
internal sealed class InWeboServer(TimeProvider time, string pin)
{
    public const string AccessId = "bb8e981582b0f31353108fb020bead1c";

    private const string ServiceId = "3203";

    // The server's keys belong to the service, not to an account; generating them takes a noticeable moment, so every
    // simulator in the process shares one set.
    private static readonly Lazy<Keys> ServerKeys = new(Keys.Generate);

    private readonly object gate = new();
    private readonly List<(string Code, DateTimeOffset Expires)> smsCodes = [];
    private readonly Dictionary<string, Tool> tools = new(StringComparer.Ordinal);
    private readonly List<(string Otp, DateTimeOffset Expires)> unusedOtps = [];
    private readonly Queue<DateTimeOffset> recentOtps = new();

    private string? lastSmsCode;
    private int smsCodesSent;
    private int activations;
    private int requests;
    private int otpsIssuedCount;

    public string? LastSmsCode
    {
        get { lock (gate) return lastSmsCode; }
    }

    public int SmsCodesSent
    {
        get { lock (gate) return smsCodesSent; }
    }

    public int Activations
    {
        get { lock (gate) return activations; }
    }

    public int Requests
    {
        get { lock (gate) return requests; }
    }

    public int OtpsIssued
    {
        get { lock (gate) return otpsIssuedCount; }
    }

    /// <summary>True while a soft token is activated and not revoked.</summary>
    public bool IsPaired
    {
        get { lock (gate) return tools.Values.Any(t => t.SecretValue is not null); }
    }

    /// <summary>Texts a new code to the account's phone; earlier unused codes stay valid until they expire.</summary>
    public string SendSmsCode()
    {
        var code = RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        lock (gate)
        {
            smsCodes.Add((code, time.GetUtcNow() + PsaPairing.SmsCodeLifetime));
            lastSmsCode = code;
            smsCodesSent++;
        }

        return code;
    }

    /// <summary>What the owner's re-pairing of the brand app (or an account reset) does: every soft token dies.</summary>
    public void RevokeAll()
    {
        lock (gate)
        {
            tools.Clear();
            unusedOtps.Clear();
        }
    }

    /// <summary>
    /// Knows a soft token paired before (by psa_car_controller): it replaces every other one and makes OTPs with its own
    /// PIN and service id from now on, its first one without a repeat.
    /// </summary>
    public void Adopt(PsaSoftToken token)
    {
        var serial = token.Serial;
        lock (gate)
        {
            tools.Clear();
            tools[token.ToolId] = new Tool(token.ToolId, serial, Kma(token.Pin, serial), token.K0, token.SyncStamp, msId: "", token.Pin,
                token.ServiceId)
            {
                K1 = token.K1,
                SecretValue = token.SecretValue,
                MustRepeat = false,
            };
        }
    }

    /// <summary>An OTP the client computed after a finalize; true once, within its lifetime.</summary>
    public bool RedeemOtp(string? otp)
    {
        lock (gate)
        {
            var index = unusedOtps.FindIndex(o => o.Otp == otp && time.GetUtcNow() < o.Expires);
            if (index < 0)
            {
                return false;
            }

            unusedOtps.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Answers one GET of /iwws/MAC (its query parameters) with the XML the client expects.</summary>
    public string Handle(IReadOnlyDictionary<string, string> query)
    {
        lock (gate)
        {
            requests++;
            var action = query.GetValueOrDefault("action");
            var refusalRoot = action == "ActionSetup" ? "ActionSetup" : "ActionFinalize";
            if (query.GetValueOrDefault("macid") != AccessId)
            {
                return Refusal(refusalRoot, PsaPairing.BadRequestError);
            }

            return (action, query.GetValueOrDefault("mode")) switch
            {
                ("ActionSetup", "activate") => SetupActivation(query),
                ("ActionFinalize", "activate") => FinalizeActivation(query),
                ("ActionFinalize", "ms") => FinalizeSecret(query),
                ("ActionSetup", "otp") => SetupOtp(query),
                ("ActionFinalize", "otp") => FinalizeOtp(query),
                _ => Refusal(refusalRoot, PsaPairing.BadRequestError),
            };
        }
    }

    private string SetupActivation(IReadOnlyDictionary<string, string> query)
    {
        // A code PSA never texted (users typing something else) is refused at once (NOK:SN, seen in users' logs).
        if (!IsLiveSmsCode(query.GetValueOrDefault("code")))
        {
            return Refusal("ActionSetup", "NOK:SN");
        }

        return Answer("ActionSetup",
            ("Kiw", ServerKeys.Value.Factory.Wrap(Convert.FromHexString(ServerKeys.Value.Encryption.ModulusHex))),
            ("Kfact", ServerKeys.Value.Factory.ModulusHex),
            ("pinmode", "1"));
    }

    private string FinalizeActivation(IReadOnlyDictionary<string, string> query)
    {
        var code = query.GetValueOrDefault("code");
        var serial = query.GetValueOrDefault("serial");
        if (!IsLiveSmsCode(code))
        {
            return Refusal("ActionFinalize", "NOK:CODE");
        }

        if (activations >= PsaPairing.ActivationLimit)
        {
            return Refusal("ActionFinalize", "NOK:MAXNBTOOLS");
        }

        var sentPin = ServerKeys.Value.Encryption.Open(query.GetValueOrDefault("pin") ?? "");
        var sentKma = ServerKeys.Value.Encryption.Open(query.GetValueOrDefault("Kma") ?? "");
        if (serial is null || sentPin is null || Encoding.UTF8.GetString(sentPin) != pin || sentKma is null
            || !sentKma.AsSpan().SequenceEqual(Kma(pin, serial))
            || !ProvesChallenge(query, challenge: "", k0: "", serial, k1: "", pinProof: ""))
        {
            return Refusal("ActionFinalize", "NOK:ACCESS");
        }

        smsCodes.RemoveAll(c => c.Code == code);
        activations++;
        // One soft token per account: this pairing replaces every earlier one.
        tools.Clear();
        var tool = new Tool(RandomHex(8), serial, sentKma, k0: RandomHex(16),
            syncStamp: time.GetUtcNow().ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture), msId: RandomHex(4), pin, ServiceId)
        {
            K1 = RandomHex(16),
            Challenge = RandomHex(16),
        };
        tools[tool.Id] = tool;
        return Answer("ActionFinalize",
            ("id", tool.Id), ("K0", Encrypt(tool.Kma, tool.K0)), ("K1", Encrypt(tool.Kma, tool.K1)), ("Tsync", tool.SyncStamp),
            ("s_n", "1"), ("s_id", ServiceId), ("s_name", "PSA remote services"), ("ms_n", "1"), ("ms_id", tool.MsId),
            ("ms_key", ServerKeys.Value.Factory.Wrap(Convert.FromHexString(ServerKeys.Value.Secret.ModulusHex))), ("challenge", tool.Challenge));
    }

    private string FinalizeSecret(IReadOnlyDictionary<string, string> query)
    {
        if (!tools.TryGetValue(query.GetValueOrDefault("id") ?? "", out var tool) || tool.SecretValue is not null)
        {
            return Refusal("ActionFinalize", "NOK:FORBIDDEN");
        }

        var secret = ServerKeys.Value.Secret.Open(query.GetValueOrDefault("ms_val0") ?? "");
        if (query.GetValueOrDefault("ms_n") != "1" || query.GetValueOrDefault("ms_id0") != tool.MsId || secret is not { Length: 16 })
        {
            return Refusal("ActionFinalize", PsaPairing.BadRequestError);
        }

        if (!ProvesChallenge(query, tool.Challenge!, tool.K0, tool.Serial, tool.K1, tool.Pin))
        {
            return Refusal("ActionFinalize", "NOK:ACCESS");
        }

        tool.Challenge = null;
        tool.SecretValue = Convert.ToHexStringLower(AesEcb(tool.Kma, secret));
        return Answer("ActionFinalize");
    }

    private string SetupOtp(IReadOnlyDictionary<string, string> query)
    {
        if (ActiveTool(query) is not { } tool)
        {
            return Refusal("ActionSetup", "NOK:FORBIDDEN");
        }

        tool.Challenge = RandomHex(16);
        return Answer("ActionSetup", ("challenge", tool.Challenge));
    }

    private string FinalizeOtp(IReadOnlyDictionary<string, string> query)
    {
        if (ActiveTool(query) is not { } tool)
        {
            return Refusal("ActionFinalize", "NOK:FORBIDDEN");
        }

        if (tool.Challenge is not { } challenge)
        {
            return Refusal("ActionFinalize", PsaPairing.BadRequestError);
        }

        tool.Challenge = null;
        if (!ProvesChallenge(query, challenge, tool.K0, tool.Serial, tool.K1, tool.Pin))
        {
            return Refusal("ActionFinalize", "NOK:ACCESS");
        }

        var now = time.GetUtcNow();
        while (recentOtps.TryPeek(out var oldest) && now - oldest >= PsaPairing.OtpWindow)
        {
            recentOtps.Dequeue();
        }

        if (recentOtps.Count >= PsaPairing.DailyOtpLimit)
        {
            return Refusal("ActionFinalize", PsaPairing.OtpLimitError);
        }

        var defi = RandomHex(5).ToUpperInvariant();
        var dK1 = RandomHex(16);
        tool.K1 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tool.K1};{dK1}")))[..32];
        if (tool.MustRepeat)
        {
            // As the recorded stand-in did: the first OTP after activation is asked for twice (J), its first defi unused.
            tool.MustRepeat = false;
            return Answer("ActionFinalize", ("defi", defi), ("dK1", dK1), ("J", tool.SyncStamp));
        }

        recentOtps.Enqueue(now);
        otpsIssuedCount++;
        unusedOtps.Add((Otp(tool.K1, defi, tool.SecretValue!), now + PsaPairing.OtpLifetime));
        return Answer("ActionFinalize", ("defi", defi), ("dK1", dK1));
    }

    private Tool? ActiveTool(IReadOnlyDictionary<string, string> query) =>
        tools.TryGetValue(query.GetValueOrDefault("id") ?? "", out var tool) && tool.SecretValue is not null
        && query.GetValueOrDefault("sid") == tool.ServiceId
            ? tool
            : null;

    private bool IsLiveSmsCode(string? code) => smsCodes.Any(c => c.Code == code && time.GetUtcNow() < c.Expires);

    private static byte[] Kma(string pin, string serial) => SHA256.HashData(Encoding.UTF8.GetBytes($"{pin};{serial}"))[..16];

    private static bool ProvesChallenge(IReadOnlyDictionary<string, string> query, string challenge, string k0, string serial, string k1,
        string pinProof) =>
        query.GetValueOrDefault("R0") == Hash($"{challenge};{k0};{serial}")
        && query.GetValueOrDefault("R1") == Hash($"{challenge};{k0};{k1}")
        && query.GetValueOrDefault("R2") == Hash($"{challenge};{k0};{pinProof}");

    /// <summary>The OTP as the client must derive it: 38 bits of SHA-256("K1:defi:secret"), base 36, low digit first.</summary>
    private static string Otp(string k1, string defi, string secretValue)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{k1}:{defi}:{secretValue}"));
        var number = ((long)(BinaryPrimitives.ReadUInt32BigEndian(hash) & 0x0FFFFFFF) << 10) | (BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(4)) & 0x3FF);
        var otp = new StringBuilder();
        do
        {
            otp.Append("abcdefghijklmnopqrstuvwxyz0123456789"[(int)(number % 36)]);
            number /= 36;
        }
        while (number > 0);

        return otp.ToString();
    }

    private static string Encrypt(byte[] kma, string hex) => Convert.ToHexStringLower(AesEcb(kma, Convert.FromHexString(hex)));

    private static byte[] AesEcb(byte[] key, byte[] data)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.EncryptEcb(data, PaddingMode.None);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>A refusal as users' logs show them: the error and empty upgrade hints.</summary>
    private static string Refusal(string root, string error) => Xml(root, ("err", error), ("newversion", ""), ("newversionurl", ""));

    private static string Answer(string root, params (string Name, string Value)[] fields) => Xml(root, [("err", "OK"), .. fields]);

    private static string Xml(string root, params (string Name, string Value)[] fields) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + new XElement(root, fields.Select(f => new XElement(f.Name, f.Value))).ToString(SaveOptions.DisableFormatting);

    /// <summary>One activated (or activating) soft token, as the server keeps it.</summary>
    private sealed class Tool(string id, string serial, byte[] kma, string k0, string syncStamp, string msId, string pin, string serviceId)
    {
        public string Id { get; } = id;
        public string Serial { get; } = serial;
        public byte[] Kma { get; } = kma;
        public string K0 { get; } = k0;
        public string SyncStamp { get; } = syncStamp;
        public string MsId { get; } = msId;
        public string Pin { get; } = pin;
        public string ServiceId { get; } = serviceId;
        public required string K1 { get; set; }
        public string? Challenge { get; set; }
        public string? SecretValue { get; set; }
        public bool MustRepeat { get; set; } = true;
    }

    private sealed class Keys(InWeboKey factory, InWeboKey encryption, InWeboKey secret)
    {
        public InWeboKey Factory { get; } = factory;
        public InWeboKey Encryption { get; } = encryption;
        public InWeboKey Secret { get; } = secret;

        public static Keys Generate() => new(InWeboKey.Generate(), InWeboKey.Generate(), InWeboKey.Generate());
    }
}
