using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Psa.Accounts;

/// <summary>
/// The whole gateway (Program) with no PSA account in its settings, on a bed of simulated clouds whose data folder
/// outlives it, so a test can start it again on the same files; plus the owner's hands: the account routes, the
/// brand's login page in a browser, the phone that receives the SMS code.
/// </summary>
internal sealed class PsaAccountRig : IAsyncDisposable
{
    /// <summary>A PSA adapter pointed at the simulator but given no account: the owner starts from nothing.</summary>
    public static readonly Dictionary<string, string?> NoPsaAccount = new()
    {
        ["Psa:RefreshToken"] = "",
        ["Psa:RemoteRefreshToken"] = "",
        ["Psa:CustomerId"] = "",
        ["Psa:ClientId"] = "",
        ["Psa:ClientSecret"] = "",
        ["Psa:CommandTimeoutSeconds"] = "5",
    };

    private PsaAccountRig(TestBed bed)
    {
        Bed = bed;
    }

    public TestBed Bed { get; }
    public CloudSimulator Simulator => Bed.Simulator;
    public PsaCloud Psa => Bed.Psa;
    public FakeTimeProvider Time => Bed.Time;
    public string DataDirectory => Bed.DataDirectory;

    /// <summary>The gateway started last; null before <see cref="StartGatewayAsync"/>.</summary>
    public GatewayApp? App { get; private set; }

    public HttpClient Client => App!.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<PsaAccountRig> StartAsync() => new(await PsaAdapter.StartBedAsync());

    /// <summary>Starts the gateway (again) on the rig's clouds and data folder, the previous one stopped first.</summary>
    public async Task<GatewayApp> StartGatewayAsync(Dictionary<string, string?>? settings = null)
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        App = GatewayApp.Start(Bed, settings ?? NoPsaAccount, Makers.Psa);
        return App;
    }

    public async Task<JsonElement> AccountAsync()
    {
        var accounts = await Client.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
        return accounts.EnumerateArray().Single(a => a.GetProperty("maker").GetString() == PsaProviderName);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        var response = await Client.PostAsJsonAsync(path, body ?? new { }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The owner logs in on the brand's page with the demo app's credentials given in the request.</summary>
    public async Task<JsonElement> LogInAsync()
    {
        var (started, login) = await PostAsync("/api/accounts/psa/login", new
        {
            brand = "Peugeot",
            country = "FR",
            clientId = PsaCloud.DemoClientId,
            clientSecret = PsaCloud.DemoClientSecret,
        });
        Assert.Equal(200, (int)started.StatusCode);
        using var browser = new PsaOwnerBrowser();
        var pasted = await browser.LogInAsync(new Uri(login.GetProperty("authorizeUrl").GetString()!));
        var (authorized, account) = await PostAsync("/api/accounts/psa/authorize", new { redirectUrl = pasted });
        Assert.Equal(200, (int)authorized.StatusCode);
        return account;
    }

    /// <summary>Asks for the SMS, reads it off the simulated phone and pairs with it and the demo PIN.</summary>
    public async Task<(string SmsCode, JsonElement Account)> PairAsync()
    {
        var (sms, _) = await PostAsync("/api/accounts/psa/pairing/sms");
        Assert.Equal(202, (int)sms.StatusCode);
        var code = Psa.Pairing.LastSmsCode!;
        var (paired, account) = await PostAsync("/api/accounts/psa/pairing", new { smsCode = code, pin = PsaPairing.DemoPin });
        Assert.Equal(200, (int)paired.StatusCode);
        return (code, account);
    }

    public async Task<HttpResponseMessage> CommandAsync(string vin, string command) =>
        await Client.PostAsync($"/api/vehicles/{vin}/commands/{command}", null, Ct);

    public string FilePath(string name) => Path.Combine(DataDirectory, name);

    /// <summary>The soft token the gateway keeps (its PIN, keys and secret must never show anywhere).</summary>
    public async Task<OtpState?> StoredPairingAsync() => await new OtpStateStore(FilePath(OtpStateStore.FileName), TimeProvider.System, NullLogger<OtpStateStore>.Instance).LoadAsync(Ct);

    /// <summary>Every secret of the account the owner's steps involved; none may appear in a log line or an answer.</summary>
    public async Task<IReadOnlyList<string>> SecretsAsync(params string[] more)
    {
        var secrets = new List<string>(more)
        {
            PsaCloud.DemoClientSecret,
            PsaCloud.DemoRefreshToken,
            PsaCloud.DemoRemoteRefreshToken,
            Psa.CurrentRefreshToken,
            Psa.CurrentRemoteRefreshToken,
        };
        secrets.AddRange(Psa.IssuedRemoteTokens);
        if (await StoredPairingAsync() is { } pairing)
        {
            secrets.AddRange([pairing.Pin, pairing.K0, pairing.K1, pairing.SecretValue, pairing.Alea]);
        }

        return secrets;
    }

    public static void AssertFileIsPrivate(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Bed.DisposeAsync();
    }

    private const string PsaProviderName = "Psa";
}
