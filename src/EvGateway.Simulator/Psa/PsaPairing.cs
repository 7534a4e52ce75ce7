using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// Remote-command pairing of the demo account (psa-remote-pairing.md): PSA's SMS endpoint, whose "text message" is
/// recorded here and logged as simulated, and the inWebo server at <see cref="OtpUrl"/> that activates soft tokens with
/// that code and <see cref="DemoPin"/> and hands out challenges for one-time passwords. The remote-token endpoint
/// accepts each OTP once with grant_type=password. Thread-safe.
/// </summary>
public sealed partial class PsaPairing
{
    /// <summary>The 4-digit PIN the demo account's owner chose in the brand app.</summary>
    public const string DemoPin = "4829";

    /// <summary>Activations allowed per account (psa_car_controller's FAQ: about 20, then NOK:MAXNBTOOLS).</summary>
    public const int ActivationLimit = 20;

    /// <summary>OTPs handed out per rolling <see cref="OtpWindow"/>; the seventh is refused.</summary>
    public const int DailyOtpLimit = 6;

    public static readonly TimeSpan OtpWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// Invented: the answer to a seventh OTP within <see cref="OtpWindow"/> (whether the real server enforces
    /// psa_car_controller's limit, and how it says so, is unknown).
    /// </summary>
    public const string OtpLimitError = "NOK:OTPLIMIT";

    /// <summary>Invented: the answer to a request the simulator cannot make sense of (missing or foreign fields).</summary>
    public const string BadRequestError = "NOK:PARAM";

    /// <summary>How long a texted code can be used (the real lifetime is unknown).</summary>
    public static readonly TimeSpan SmsCodeLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long an OTP stays redeemable (the real lifetime is unknown).</summary>
    public static readonly TimeSpan OtpLifetime = TimeSpan.FromMinutes(5);

    private readonly InWeboServer server;
    private readonly ILogger logger;

    internal PsaPairing(TimeProvider time, Uri baseAddress, ILogger logger)
    {
        server = new InWeboServer(time, DemoPin);
        this.logger = logger;
        SmsCodeUrl = new Uri(baseAddress, "psa/api/applications/cvs/v4/mobile/smsCode");
        OtpUrl = new Uri(baseAddress, "psa/otp/iwws/MAC");
    }

    /// <summary>PSA's "text me a code" endpoint (configure as Psa:SmsCodeUrl).</summary>
    public Uri SmsCodeUrl { get; }

    /// <summary>The inWebo server (configure as Psa:OtpUrl).</summary>
    public Uri OtpUrl { get; }

    /// <summary>The code the demo account's phone received last; null before any.</summary>
    public string? LastSmsCode => server.LastSmsCode;

    public int SmsCodesSent => server.SmsCodesSent;

    /// <summary>Successful activations so far; the account is locked after <see cref="ActivationLimit"/>.</summary>
    public int Activations => server.Activations;

    /// <summary>Every request the inWebo server received, refused or not.</summary>
    public int InWeboRequests => server.Requests;

    /// <summary>One-time passwords handed out so far.</summary>
    public int OtpsIssued => server.OtpsIssued;

    /// <summary>True while a soft token is activated and not revoked.</summary>
    public bool IsPaired => server.IsPaired;

    /// <summary>As when the owner pairs the brand app again or the account is reset: every soft token stops working.</summary>
    public void RevokePairings() => server.RevokeAll();

    /// <summary>
    /// As if the owner had paired another client (psa_car_controller) with this account: the server knows that soft
    /// token, and only that one, from now on.
    /// </summary>
    public void AdoptSoftToken(PsaSoftToken token) => server.Adopt(token);

    internal bool RedeemOtp(string? otp) => server.RedeemOtp(otp);

    internal static void Map(IEndpointRouteBuilder endpoints, PsaCloud cloud)
    {
        var pairing = cloud.Pairing;
        endpoints.MapPost(pairing.SmsCodeUrl.AbsolutePath, (HttpRequest request) => pairing.SendSmsCode(request, cloud));
        endpoints.MapGet(pairing.OtpUrl.AbsolutePath, (HttpRequest request) => Results.Content(
            pairing.server.Handle(request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal)),
            "text/xml; charset=utf-8", Encoding.UTF8));
    }

    /// <summary>The same checks as the connected-car API: an OAuth access token, the app's client id, the brand's realm.</summary>
    private IResult SendSmsCode(HttpRequest request, PsaCloud cloud)
    {
        if (!cloud.Identity.IsValidAccessToken(PsaHttpApi.BearerToken(request)))
        {
            return PsaHttpApi.Json(PsaDocuments.Unauthorized(), StatusCodes.Status401Unauthorized);
        }

        if (request.Query["client_id"] != PsaCloud.DemoClientId)
        {
            return PsaHttpApi.Json(PsaDocuments.ApiError(401, "Unauthorized", "Client id not registered."), StatusCodes.Status401Unauthorized);
        }

        if (request.Headers["x-introspect-realm"] != PsaCloud.Realm)
        {
            return PsaHttpApi.Json(PsaDocuments.ApiError(403, "Forbidden", "Realm is not valid for this token"), StatusCodes.Status403Forbidden);
        }

        LogSmsSent(logger, server.SendSmsCode());
        return Results.Content("{}", "application/json", Encoding.UTF8, StatusCodes.Status202Accepted);
    }

    [LoggerMessage(LogLevel.Warning,
        "SIMULATED SMS, no text message was sent: the demo account's phone received the PSA pairing code {SmsCode}")]
    private static partial void LogSmsSent(ILogger logger, string smsCode);
}

/// <summary>
/// A soft token as the inWebo server and its client both know it after a pairing (psa-remote-pairing.md §7): the
/// tool id, the serial (device id + "/_/" + alea), the PIN, the service id (sid), the sync stamp, K0, K1 (hex) and
/// the ms secret under Kma (iwsecval, hex).
/// </summary>
public sealed record PsaSoftToken(string ToolId, string Serial, string Pin, string ServiceId, string SyncStamp, string K0, string K1,
    string SecretValue)
{
    public override string ToString() => $"{nameof(PsaSoftToken)} {{ ToolId = {ToolId} }}";
}
