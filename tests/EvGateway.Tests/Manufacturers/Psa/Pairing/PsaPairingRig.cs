using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

/// <summary>
/// The pairing engine against the simulated PSA cloud over loopback sockets: the SMS request goes through the
/// gateway's real PSA authentication, the inWebo client talks to the simulated OTP server, and the state lives in
/// the test bed's data directory.
/// </summary>
internal sealed class PsaPairingRig : IAsyncDisposable
{
    private readonly HttpClient plain = new();
    private readonly HttpClient authenticated;

    private PsaPairingRig(TestBed bed)
    {
        Bed = bed;
        Gateway = bed.StartGateway();
        var auth = Gateway.Services.GetRequiredService<PsaAuthHandler>();
        auth.InnerHandler = new SocketsHttpHandler();
        authenticated = new HttpClient(auth);
        Sms = new PsaSmsCodeClient(authenticated, Psa.Pairing.SmsCodeUrl);
        Client = NewClient();
    }

    public TestBed Bed { get; }
    public GatewayServices Gateway { get; }
    public PsaCloud Psa => Bed.Psa;
    public PsaSmsCodeClient Sms { get; }
    public InWeboClient Client { get; }
    public string StatePath => Path.Combine(Bed.DataDirectory, OtpStateStore.FileName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<PsaPairingRig> StartAsync() => new(await PsaAdapter.StartBedAsync());

    /// <summary>Another client over the same state file, as after a restart of the gateway.</summary>
    public InWeboClient NewClient() => new(plain, Psa.Pairing.OtpUrl, new OtpStateStore(StatePath, TimeProvider.System, NullLogger<OtpStateStore>.Instance), Bed.Time,
        Gateway.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<InWeboClient>>());

    /// <summary>Asks PSA for a text and reads it off the simulated phone.</summary>
    public async Task<string> SmsCodeAsync()
    {
        await Sms.RequestAsync(Ct);
        return Psa.Pairing.LastSmsCode!;
    }

    public async Task<OtpState> PairAsync() => await Client.ActivateAsync(await SmsCodeAsync(), PsaPairing.DemoPin, Ct);

    /// <summary>The remote-token password grant as psa_car_controller posts it.</summary>
    public async Task<(int Status, JsonNode Body)> PasswordGrantAsync(string otp)
    {
        using var response = await authenticated.PostAsync(Psa.RemoteTokenUrl, SizedJson.Create(new { grant_type = "password", password = otp }), Ct);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    public async Task<(int Status, JsonNode Body)> RefreshGrantAsync(string refreshToken)
    {
        using var response = await authenticated.PostAsync(Psa.RemoteTokenUrl,
            SizedJson.Create(new { grant_type = "refresh_token", refresh_token = refreshToken }), Ct);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    public async ValueTask DisposeAsync()
    {
        authenticated.Dispose();
        plain.Dispose();
        await Gateway.DisposeAsync();
        await Bed.DisposeAsync();
    }
}
