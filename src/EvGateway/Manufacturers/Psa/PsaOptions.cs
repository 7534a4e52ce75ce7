using System.Globalization;
using EvGateway.Manufacturers.Psa.Mqtt;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>The `Psa:*` settings (design.md's configuration contract; the names are fixed).</summary>
public sealed class PsaOptions
{
    public const string SectionName = "Psa";

    public PsaBrand Brand { get; set; } = PsaBrand.Peugeot;
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The seed refresh token; once rotated, or once the owner logged in in the browser, the token in the data directory
    /// wins (see PsaTokenStore). Empty = not connected until that browser login.
    /// </summary>
    public string RefreshToken { get; set; } = "";

    /// <summary>"AP-ACNT..." or the bare account id, which gets the brand's prefix.</summary>
    public string CustomerId { get; set; } = "";

    /// <summary>Empty = the brand's identity server.</summary>
    public string? TokenUrl { get; set; }

    /// <summary>Two-letter country of the account: the browser login's redirect URI ends with it (psa.md §1b).</summary>
    public string Country { get; set; } = "FR";

    /// <summary>Empty = the brand's identity server.</summary>
    public string? AuthorizeUrl { get; set; }

    /// <summary>Where the browser login reads the account's customer id (psa.md §1b step 4).</summary>
    public string CarAssociationsUrl { get; set; } = "https://api.groupe-psa.com/applications/cvs/v4/mauv/car-associations";

    public string ApiUrl { get; set; } = "https://api.groupe-psa.com/connectedcar/v4";

    /// <summary>Empty = {ApiUrl}/virtualkey/remoteaccess/token.</summary>
    public string? RemoteTokenUrl { get; set; }

    /// <summary>Where PSA is asked to text the pairing code (remote-command pairing).</summary>
    public string SmsCodeUrl { get; set; } = Pairing.PsaSmsCodeClient.DefaultSmsCodeUrl;

    /// <summary>The inWebo server that pairs the soft token and makes one-time passwords.</summary>
    public string OtpUrl { get; set; } = Pairing.InWeboClient.DefaultOtpUrl;

    public PsaMqttOptions Mqtt { get; set; } = new();

    /// <summary>
    /// Remote-command refresh token from an SMS + PIN pairing made elsewhere; empty = no remote commands until the owner
    /// pairs on the setup page or imports psa_car_controller's files (both keep their tokens in the data directory).
    /// </summary>
    public string? RemoteRefreshToken { get; set; }

    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Connected-car REST calls the gateway may make per rolling hour. PSA publishes no hourly quota and one status read
    /// is one call; 360 (a read every 10 s) leaves charge control its 30-second look (120 an hour, inside its 80 % share)
    /// and the refresh policy its 12 reads an hour, while a runaway poller cannot hammer the account. Remote commands go
    /// over MQTT and are not counted here.
    /// </summary>
    public int CallBudgetPerHour { get; set; } = 360;

    /// <summary>The shortest time between two wake-ups of one car the gateway or home automation sends (12 V battery).</summary>
    public int WakeUpMinIntervalMinutes { get; set; } = 30;

    /// <summary>"HH:mm": where charging is pushed to when it is stopped and the car's own delayed hour is unknown.</summary>
    public string DefaultDelayedChargeStart { get; set; } = "22:30";

    /// <summary>True when the settings name an account; without one the adapter waits for a browser login.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(RefreshToken);

    public bool RemoteCommandsConfigured => IsConfigured && !string.IsNullOrWhiteSpace(RemoteRefreshToken);

    public Uri EffectiveRemoteTokenUrl => new(string.IsNullOrWhiteSpace(RemoteTokenUrl)
        ? $"{ApiUrl.TrimEnd('/')}/virtualkey/remoteaccess/token"
        : RemoteTokenUrl);

    public TimeSpan CommandTimeout => TimeSpan.FromSeconds(CommandTimeoutSeconds);

    public TimeOnly DefaultDelayedStart => TimeOnly.ParseExact(DefaultDelayedChargeStart, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A brand's token endpoint, unless Psa:TokenUrl points elsewhere (the simulator, a proxy).</summary>
    public Uri TokenUrlFor(PsaBrand brand) =>
        string.IsNullOrWhiteSpace(TokenUrl) ? PsaBrandProfile.Of(brand).TokenUrl : new Uri(TokenUrl);

    /// <summary>A brand's login page, unless Psa:AuthorizeUrl points elsewhere.</summary>
    public Uri AuthorizeUrlFor(PsaBrand brand) =>
        string.IsNullOrWhiteSpace(AuthorizeUrl) ? PsaBrandProfile.Of(brand).AuthorizeUrl : new Uri(AuthorizeUrl);

    internal static bool IsCountryCode(string? value) => value is { Length: 2 } && value.All(char.IsAsciiLetter);
}

public sealed class PsaMqttOptions
{
    public string Host { get; set; } = "mwa.mpsa.com";
    public int Port { get; set; } = 8885;
    public bool UseTls { get; set; } = true;

    /// <summary>
    /// A PEM file with one more certificate authority to trust for the broker's certificate, besides the system's
    /// (a broker of one's own, the simulator's); null = the system's trust store alone, as for the real broker.
    /// </summary>
    public string? CaCertificateFile { get; set; }
}

public enum PsaBrand
{
    Peugeot,
    Citroen,
    DS,
    Opel,
    Vauxhall,
}

/// <summary>Fails start-up with one line that names the bad key (never its value: most of them are secrets).</summary>
internal sealed class PsaOptionsValidator : IValidateOptions<PsaOptions>
{
    public ValidateOptionsResult Validate(string? name, PsaOptions options)
    {
        var failures = new List<string>();
        // The shapes are checked even before an account is named (the defaults pass): the browser login uses them.
        Require(!Enum.IsDefined(options.Brand), "Psa:Brand must be Peugeot, Citroen, DS, Opel or Vauxhall.");
        Require(!IsAbsoluteHttpUrl(options.ApiUrl), "Psa:ApiUrl must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.TokenUrl) && !IsAbsoluteHttpUrl(options.TokenUrl),
            "Psa:TokenUrl must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.RemoteTokenUrl) && !IsAbsoluteHttpUrl(options.RemoteTokenUrl),
            "Psa:RemoteTokenUrl must be an absolute http(s) URL.");
        Require(!string.IsNullOrWhiteSpace(options.AuthorizeUrl) && !IsAbsoluteHttpUrl(options.AuthorizeUrl),
            "Psa:AuthorizeUrl must be an absolute http(s) URL.");
        Require(!IsAbsoluteHttpUrl(options.CarAssociationsUrl), "Psa:CarAssociationsUrl must be an absolute http(s) URL.");
        Require(!PsaOptions.IsCountryCode(options.Country), "Psa:Country must be a two-letter country code such as FR.");
        Require(!IsAbsoluteHttpUrl(options.SmsCodeUrl), "Psa:SmsCodeUrl must be an absolute http(s) URL.");
        Require(!IsAbsoluteHttpUrl(options.OtpUrl), "Psa:OtpUrl must be an absolute http(s) URL.");
        Require(options.CommandTimeoutSeconds is < 1 or > 600, "Psa:CommandTimeoutSeconds must be between 1 and 600.");
        Require(!string.IsNullOrWhiteSpace(options.Mqtt.CaCertificateFile) && !PsaBrokerTrust.CanLoad(options.Mqtt.CaCertificateFile),
            "Psa:Mqtt:CaCertificateFile must name a readable PEM file holding a certificate.");
        Require(options.CallBudgetPerHour is < 1 or > 10000, "Psa:CallBudgetPerHour must be between 1 and 10000.");
        Require(options.WakeUpMinIntervalMinutes is < 0 or > 1440, "Psa:WakeUpMinIntervalMinutes must be between 0 and 1440.");
        Require(!TimeOnly.TryParseExact(options.DefaultDelayedChargeStart, "HH:mm", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out _), "Psa:DefaultDelayedChargeStart must be a time of day \"HH:mm\".");
        if (options.IsConfigured)
        {
            Require(string.IsNullOrWhiteSpace(options.ClientId), "Psa:ClientId is required with Psa:RefreshToken.");
            Require(string.IsNullOrWhiteSpace(options.ClientSecret), "Psa:ClientSecret is required with Psa:RefreshToken.");
        }

        if (options.RemoteCommandsConfigured)
        {
            Require(string.IsNullOrWhiteSpace(options.CustomerId), "Psa:CustomerId is required for remote commands.");
            Require(string.IsNullOrWhiteSpace(options.Mqtt.Host), "Psa:Mqtt:Host is required for remote commands.");
            Require(options.Mqtt.Port is < 1 or > 65535, "Psa:Mqtt:Port must be between 1 and 65535.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(bool failed, string message)
        {
            if (failed)
            {
                failures.Add(message);
            }
        }
    }

    private static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
