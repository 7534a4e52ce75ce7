using System.Text.Json.Nodes;
using EvGateway.Manufacturers.Psa.Pairing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

/// <summary>
/// The real <see cref="InWeboClient"/> against an <see cref="InWeboReplayServer"/>, with a state file in a fresh
/// directory, a fake clock set to the vectors' 2026-01-01, random draws taken from the vectors, and the log captured.
/// </summary>
internal sealed class InWeboClientRig : IAsyncDisposable
{
    public static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1767225600);

    private readonly Queue<byte[]> random;
    private readonly HttpClient http = new();

    private InWeboClientRig(InWeboReplayServer server, IEnumerable<byte[]> random)
    {
        Server = server;
        this.random = new Queue<byte[]>(random);
        Store = new OtpStateStore(Directory.File(OtpStateStore.FileName), TimeProvider.System, NullLogger<OtpStateStore>.Instance);
        Client = new InWeboClient(http, server.OtpUrl, Store, Time, Log.CreateLogger(nameof(InWeboClient)), NextRandom);
    }

    public InWeboReplayServer Server { get; }
    public TemporaryDirectory Directory { get; } = new();
    public FakeTimeProvider Time { get; } = new(VectorTime);
    public CapturedLog Log { get; } = new();
    public OtpStateStore Store { get; }
    public InWeboClient Client { get; }

    /// <summary>The client's random draws in activation.json, in the order the client makes them.</summary>
    public static IEnumerable<byte[]> ActivationRandom
    {
        get
        {
            var inputs = InWeboVectors.Activation["inputs"]!;
            var drawn = inputs["client_random"]!;
            var seeds = drawn["oaep_seeds_hex"]!;
            return new[]
            {
                inputs.Text("device_id"), inputs.Text("iwalea"), seeds.Text("Kma"), seeds.Text("pin"),
                drawn.Text("ms_secret_16_bytes_hex"), seeds.Text("ms_val0"),
            }.Select(Convert.FromHexString);
        }
    }

    public static async Task<InWeboClientRig> StartAsync(IEnumerable<string> answers, IEnumerable<byte[]>? random = null) =>
        new(await InWeboReplayServer.StartAsync(answers), random ?? []);

    /// <summary>The state a transcript starts from, as the client would hold it (its state_before).</summary>
    public static OtpState StateBefore(JsonNode transcript)
    {
        var before = transcript["state_before"]!;
        var derived = InWeboVectors.Activation["derived"]!;
        var serial = before.Text("serial").Split("/_/");
        return new OtpState
        {
            DeviceId = serial[0],
            Alea = serial[1],
            Pin = before.Text("pin"),
            MacId = InWeboVectors.Activation["inputs"]!.Text("macid"),
            Kfact = derived.Text("Kfact_modulus_hex"),
            Kiw = derived.Text("Kiw_decoded_modulus_hex"),
            ToolId = before.Text("iwid"),
            LastSync = before.Text("lastsync"),
            K0 = before.Text("K0_hex"),
            K1 = before.Text("K1_hex"),
            SecretId = before.Text("sid"),
            SecretValue = before.Text("iwsecval_hex"),
            Synchro = before.Text("action") == "synchro",
        };
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await Server.DisposeAsync();
        Directory.Dispose();
    }

    private byte[] NextRandom(int count)
    {
        var next = random.Dequeue();
        Assert.Equal(count, next.Length);
        return next;
    }
}
