using System.Security.Cryptography;
using System.Text;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// psa_car_controller's inWebo soft token, over GET requests to the OTP server (psa-remote-pairing.md §3-§6):
/// <see cref="ActivateAsync"/> pairs it with an SMS code and the brand app's PIN, <see cref="GetOtpAsync"/> makes the
/// one-time password a remote token's password grant needs. The state lives in an <see cref="OtpStateStore"/> and is
/// saved after every step that changes it. Calls never retry on their own: each activation counts toward the
/// account's ~20 and each OTP toward its 6 a day, so the HTTP client given here must not retry either.
/// </summary>
public sealed partial class InWeboClient
{
    /// <summary>Name of the HttpClient to give this client (no resilience retries, TLS verified).</summary>
    public const string HttpClientName = "Psa.InWebo";

    public const string DefaultOtpUrl = "https://otp.mpsa.com/iwws/MAC";

    internal const string AccessId = "bb8e981582b0f31353108fb020bead1c";
    internal const string Version = "Generator-1.0/0.2.11";
    internal const string DeviceName = "Android SDK built for x86_64 / UNKNOWN";

    // psa_car_controller ends it with a space; the server has only ever seen it that way.
    internal const string UserAgent = "Dalvik/2.1.0 (Linux; U; Android 8.0.0; Android SDK built for x86_64 Build/OSR1.180418.004) ";

    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private const string Setup = "ActionSetup";
    private const string Finalize = "ActionFinalize";

    private readonly HttpClient http;
    private readonly Uri otpUrl;
    private readonly OtpStateStore store;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Func<int, byte[]> randomBytes;
    private readonly SemaphoreSlim gate = new(1, 1);

    public InWeboClient(HttpClient http, Uri otpUrl, OtpStateStore store, TimeProvider time, ILogger<InWeboClient> logger)
        : this(http, otpUrl, store, time, logger, RandomNumberGenerator.GetBytes)
    {
    }

    /// <summary>Tests pin the random draws: device id, alea, two OAEP seeds, the ms secret, one OAEP seed, in that order.</summary>
    internal InWeboClient(HttpClient http, Uri otpUrl, OtpStateStore store, TimeProvider time, ILogger logger, Func<int, byte[]> randomBytes)
    {
        this.http = http;
        this.otpUrl = otpUrl;
        this.store = store;
        this.time = time;
        this.logger = logger;
        this.randomBytes = randomBytes;
    }

    /// <summary>
    /// Activates a new soft token with the code PSA texted (see <see cref="PsaSmsCodeClient"/>) and the brand app's
    /// PIN, saves it (replacing any earlier pairing, whose device id it keeps) and returns it.
    /// </summary>
    /// <exception cref="PsaPairingException">The server refused the code, the PIN or the account (never retried).</exception>
    public async Task<OtpState> ActivateAsync(string smsCode, string pin, CancellationToken cancellationToken)
    {
        smsCode = smsCode.Trim();
        pin = pin.Trim();
        if (smsCode.Length == 0)
        {
            throw GatewayException.Validation("The SMS code is empty: type the code PSA texted to the account's phone.");
        }

        if (pin.Length != 4 || !pin.All(char.IsAsciiDigit))
        {
            throw GatewayException.Validation("The PIN is the 4 digits chosen in the brand's app.");
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var previous = await LoadForRepairingAsync(cancellationToken);
            var deviceId = previous?.DeviceId ?? RandomHex(8);
            var alea = RandomHex(16);
            var serial = $"{deviceId}/_/{alea}";

            var setup = await SendAsync(Setup, duringActivation: true,
            [
                new("action", Setup), new("mode", "activate"), new("id", ""), new("lastsync", "0"), new("version", Version),
                new("macid", AccessId), new("code", smsCode),
            ], cancellationToken);
            var kfact = Required(setup, "Kfact");
            var kfactModulus = Decoded(() => InWeboCrypto.ParseModulus(kfact));
            var kiw = Decoded(() => InWeboCrypto.UnwrapToHex(Required(setup, "Kiw"), kfactModulus));
            var kiwModulus = Decoded(() => InWeboCrypto.ParseModulus(kiw));

            var session = new Session(InWeboCrypto.Kma(pin, serial), toolId: "", lastSync: "0", k0: "", k1: "");
            var activation = await SendAsync(Finalize, duringActivation: true,
            [
                new("action", Finalize), new("mode", "activate"), new("id", ""), new("lastsync", "0"), new("version", Version),
                new("lang", "fr"), new("ack", ""), new("macid", AccessId), new("serial", serial), new("code", smsCode),
                new("Kma", InWeboCrypto.Encrypt(kiwModulus, session.Kma, randomBytes(InWeboCrypto.OaepSeedLength))),
                new("pin", InWeboCrypto.Encrypt(kiwModulus, Encoding.UTF8.GetBytes(pin), randomBytes(InWeboCrypto.OaepSeedLength))),
                new("name", DeviceName),
                .. Proofs(challenge: "", session.K0, serial, session.K1, pinProof: ""),
            ], cancellationToken);
            session.Synchro(activation);

            var secretId = Required(activation, "s_id");
            var msCount = activation.Get("ms_n");
            if (msCount != "1")
            {
                // Without exactly one ms secret there is nothing to derive OTPs from; psa_car_controller gives up too.
                throw PsaPairingException.ServerFailed(msCount is null
                    ? "the activation answer carried no secret for one-time passwords."
                    : $"the activation answer asked for {msCount} secrets, which is not supported.");
            }

            var challenge = Required(activation, "challenge");
            var msId = Required(activation, "ms_id");
            var msModulus = Decoded(() => InWeboCrypto.ParseModulus(InWeboCrypto.UnwrapToHex(Required(activation, "ms_key"), kfactModulus)));
            var secret = randomBytes(16);
            var secretValue = InWeboCrypto.AesEncryptToHex(session.Kma, secret);
            var ms = await SendAsync(Finalize, duringActivation: true,
            [
                new("action", Finalize), new("mode", "ms"), new("ms_id0", msId),
                new("ms_val0", InWeboCrypto.Encrypt(msModulus, secret, randomBytes(InWeboCrypto.OaepSeedLength))),
                new("macid", AccessId), new("id", session.ToolId), new("lastsync", session.LastSync), new("ms_n", "1"),
                .. Proofs(challenge, session.K0, serial, session.K1, pinProof: pin),
            ], cancellationToken);
            session.Synchro(ms);

            var state = session.ApplyTo(new OtpState
            {
                DeviceId = deviceId,
                Alea = alea,
                Pin = pin,
                MacId = AccessId,
                Kfact = kfact,
                Kiw = kiw,
                ToolId = "",
                LastSync = "",
                K0 = "",
                K1 = "",
                SecretId = secretId,
                SecretValue = secretValue,
                Synchro = true,
                OtpTimes = previous?.OtpTimes ?? [],
            });
            // Not cancellable: the server now knows this tool and no other; losing it would cost another activation.
            await store.SaveAsync(state, CancellationToken.None);
            LogActivated(logger);
            return state;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// One one-time password for the remote token's password grant. Refused without any call when
    /// <see cref="OtpState.DailyOtpLimit"/> were taken in the last 24 hours; every attempt that goes out counts,
    /// whether it succeeds or not.
    /// </summary>
    /// <exception cref="PsaPairingException">Not paired, the daily limit, or the server refused.</exception>
    public async Task<string> GetOtpAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = await store.LoadAsync(cancellationToken)
                        ?? throw PsaPairingException.NotPaired("Remote commands are not paired yet.");
            var now = time.GetUtcNow();
            if (state.NextOtpAllowedAt(now) is { } nextAllowed)
            {
                LogDailyLimit(logger, OtpState.DailyOtpLimit, nextAllowed);
                throw PsaPairingException.DailyLimit(nextAllowed, nextAllowed - now);
            }

            state = state.WithOtpTaken(now);
            await store.SaveAsync(state, cancellationToken);

            var session = new Session(InWeboCrypto.Kma(state.Pin, state.Serial), state.ToolId, state.LastSync, state.K0, state.K1);
            try
            {
                var (defi, repeat) = await OtpRoundAsync(state, session, cancellationToken);
                if (repeat)
                {
                    (defi, repeat) = await OtpRoundAsync(state, session, cancellationToken);
                    if (repeat)
                    {
                        throw PsaPairingException.ServerFailed("it asked a second time to repeat the one-time password.");
                    }
                }

                var otp = InWeboCrypto.Otp(session.K1, defi, state.SecretValue);
                LogOtpTaken(logger, state.OtpsLeft(now), OtpState.DailyOtpLimit);
                return otp;
            }
            finally
            {
                // A round may have moved K1 on even when a later one failed: the server expects the new K1 next time.
                var updated = session.ApplyTo(state);
                if (updated != state)
                {
                    await store.SaveAsync(updated, CancellationToken.None);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(string Defi, bool Repeat)> OtpRoundAsync(OtpState state, Session session, CancellationToken cancellationToken)
    {
        var setup = await SendAsync(Setup, duringActivation: false,
        [
            new("action", Setup), new("mode", "otp"), new("id", session.ToolId), new("lastsync", session.LastSync),
            new("version", Version), new("macid", state.MacId), new("sid", state.SecretId),
        ], cancellationToken);
        var challenge = Required(setup, "challenge");
        var answer = await SendAsync(Finalize, duringActivation: false,
        [
            new("action", Finalize), new("mode", "otp"), new("id", session.ToolId), new("lastsync", session.LastSync),
            new("version", Version), new("lang", "fr"), new("ack", ""), new("macid", state.MacId), new("keytype", "0"),
            new("sid", state.SecretId),
            .. Proofs(challenge, session.K0, state.Serial, session.K1, state.Synchro ? state.Pin : ""),
        ], cancellationToken);
        session.Synchro(answer);
        return (Required(answer, "defi"), answer.Has("J"));
    }

    private static KeyValuePair<string, string>[] Proofs(string challenge, string k0, string serial, string k1, string pinProof) =>
    [
        new("R0", InWeboCrypto.Proof(challenge, k0, serial)),
        new("R1", InWeboCrypto.Proof(challenge, k0, k1)),
        new("R2", InWeboCrypto.Proof(challenge, k0, pinProof)),
    ];

    private async Task<InWeboAnswer> SendAsync(string root, bool duringActivation, KeyValuePair<string, string>[] parameters,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(otpUrl) { Query = InWeboQuery.Encode(parameters) }.Uri);
        request.Headers.Connection.Add("Keep-Alive");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        using var timeout = new CancellationTokenSource(RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string body;
        try
        {
            using var response = await http.SendAsync(request, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw PsaPairingException.ServerFailed($"it answered HTTP {(int)response.StatusCode}.");
            }

            body = await response.Content.ReadAsStringAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw PsaPairingException.ServerFailed($"it did not answer within {RequestTimeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException)
        {
            throw PsaPairingException.ServerFailed("it could not be reached.");
        }

        var answer = InWeboAnswer.TryParse(body, root) ?? throw PsaPairingException.ServerFailed("its answer was not the expected XML.");
        if (!answer.IsOk)
        {
            LogRefused(logger, root, answer.Error ?? "no error string");
            throw PsaPairingException.FromServer(answer.Error, duringActivation);
        }

        return answer;
    }

    /// <summary>A damaged earlier pairing is replaced, not an obstacle to pairing again.</summary>
    private async Task<OtpState?> LoadForRepairingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.LoadAsync(cancellationToken);
        }
        catch (PsaPairingException)
        {
            return null;
        }
    }

    private string RandomHex(int bytes) => Convert.ToHexStringLower(randomBytes(bytes));

    private static string Required(InWeboAnswer answer, string field) =>
        answer.Get(field) ?? throw PsaPairingException.ServerFailed($"its answer lacked {field}.");

    private static T Decoded<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            throw PsaPairingException.ServerFailed("a key in its answer did not decode.");
        }
    }

    [LoggerMessage(LogLevel.Information, "PSA remote commands paired: the inWebo soft token is activated")]
    private static partial void LogActivated(ILogger logger);

    [LoggerMessage(LogLevel.Information, "PSA one-time password taken; {Left} of {Limit} left for the next 24 hours")]
    private static partial void LogOtpTaken(ILogger logger, int left, int limit);

    [LoggerMessage(LogLevel.Warning, "PSA one-time password not asked for: {Limit} were taken in the last 24 hours; next at {NextAllowed:u}")]
    private static partial void LogDailyLimit(ILogger logger, int limit, DateTimeOffset nextAllowed);

    [LoggerMessage(LogLevel.Warning, "The inWebo server refused an {Step} request: {Error}")]
    private static partial void LogRefused(ILogger logger, string step, string error);

    /// <summary>The soft token's moving parts during one exchange, updated by every OK answer (§6 Synchro).</summary>
    private sealed class Session(byte[] kma, string toolId, string lastSync, string k0, string k1)
    {
        public byte[] Kma { get; } = kma;
        public string ToolId { get; private set; } = toolId;
        public string LastSync { get; private set; } = lastSync;
        public string K0 { get; private set; } = k0;
        public string K1 { get; private set; } = k1;

        public void Synchro(InWeboAnswer answer)
        {
            ToolId = answer.Get("id") ?? ToolId;
            K0 = answer.Get("K0") is { } k0 ? Decoded(() => InWeboCrypto.AesDecryptHexToHex(Kma, k0)) : K0;
            K1 = answer.Get("K1") is { } k1 ? Decoded(() => InWeboCrypto.AesDecryptHexToHex(Kma, k1)) : K1;
            K1 = answer.Get("dK1") is { } dK1 ? InWeboCrypto.RotateK1(K1, dK1) : K1;
            if (answer.Get("s_n") is not null)
            {
                LastSync = answer.Get("Tsync") ?? "";
            }
        }

        public OtpState ApplyTo(OtpState state) => state with { ToolId = ToolId, LastSync = LastSync, K0 = K0, K1 = K1 };
    }
}
