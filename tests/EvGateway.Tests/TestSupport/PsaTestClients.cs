using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EvGateway.Tests.TestSupport;

/// <summary>A simulator with a fake clock, plus a plain HttpClient that speaks PSA the way a gateway must.</summary>
internal sealed class PsaSimulatorHarness : IAsyncDisposable
{
    private PsaSimulatorHarness(CloudSimulator simulator, FakeTimeProvider time)
    {
        Simulator = simulator;
        Time = time;
        Http = new HttpClient();
    }

    public CloudSimulator Simulator { get; }
    public PsaCloud Psa => Simulator.Psa;
    public FakeTimeProvider Time { get; }
    public HttpClient Http { get; }

    public static async Task<PsaSimulatorHarness> StartAsync(ILoggerFactory? loggerFactory = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var simulator = await CloudSimulator.StartAsync(
            new SimulatorOptions { TimeProvider = time, CarTimeZone = TimeZoneInfo.Utc, LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance },
            TestContext.Current.CancellationToken);
        return new PsaSimulatorHarness(simulator, time);
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, string clientSecret = PsaCloud.DemoClientSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Psa.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["scope"] = "openid profile",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PsaCloud.DemoClientId}:{clientSecret}")));
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<string> AccessTokenAsync()
    {
        using var response = await RefreshAsync(Psa.CurrentRefreshToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ReadJsonAsync(response))["access_token"]!.GetValue<string>();
    }

    public async Task<string> RemoteTokenAsync(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Psa.RemoteTokenUrl}?client_id={PsaCloud.DemoClientId}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = Psa.CurrentRemoteRefreshToken,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ReadJsonAsync(response))["access_token"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> GetAsync(string relativePath, string? accessToken, string realm = PsaCloud.Realm)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Psa.ApiUrl}{relativePath}?client_id={PsaCloud.DemoClientId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/hal+json"));
        request.Headers.Add("x-introspect-realm", realm);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}

/// <summary>An MQTT client logged in like the PSA app: collects every reply and car event it receives.</summary>
internal sealed class PsaMqttProbe : IAsyncDisposable
{
    private readonly IMqttClient client;
    private readonly Channel<(string Topic, JsonNode Payload)> received = Channel.CreateUnbounded<(string, JsonNode)>();
    private readonly TaskCompletionSource dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PsaMqttProbe(IMqttClient client)
    {
        this.client = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Writer.TryWrite((e.ApplicationMessage.Topic, JsonNode.Parse(e.ApplicationMessage.ConvertPayloadToString())!));
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += _ =>
        {
            dropped.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => client.IsConnected;

    /// <summary>Completes when the broker closes the session.</summary>
    public Task Dropped => dropped.Task;

    public static async Task<MqttClientConnectResult> TryConnectAsync(int port, string password, string username = PsaCloud.MqttUsername)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        return await client.ConnectAsync(Options(port, password, username), TestContext.Current.CancellationToken);
    }

    public static async Task<PsaMqttProbe> ConnectAsync(int port, string remoteToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(port, remoteToken), TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var probe = new PsaMqttProbe(client);
        await client.SubscribeAsync(PsaTopics.ReplyPrefix + PsaCloud.DemoCustomerId + "/#", MqttQualityOfServiceLevel.AtLeastOnce,
            TestContext.Current.CancellationToken);
        await client.SubscribeAsync(PsaTopics.EventPrefix + "#", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return probe;
    }

    public static string NewCorrelationId(DateTimeOffset now) =>
        Guid.NewGuid().ToString("N") + now.UtcDateTime.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<string> SendAsync(string service, string vin, string remoteToken, JsonObject parameters, DateTimeOffset now,
        string? correlationId = null)
    {
        correlationId ??= NewCorrelationId(now);
        var envelope = new JsonObject
        {
            ["access_token"] = remoteToken,
            ["customer_id"] = PsaCloud.DemoCustomerId,
            ["correlation_id"] = correlationId,
            ["req_date"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["vin"] = vin,
            ["req_parameters"] = parameters,
        };
        await client.PublishStringAsync(PsaTopics.Command(PsaCloud.DemoCustomerId, service), envelope.ToJsonString(),
            MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: TestContext.Current.CancellationToken);
        return correlationId;
    }

    /// <summary>Next message on a topic, skipping others. The timeout only keeps a broken broker from hanging the run.</summary>
    public async Task<JsonNode> NextAsync(string topic)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var (messageTopic, payload) = await received.Reader.ReadAsync(timeout.Token);
            if (messageTopic == topic)
            {
                return payload;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);
        }

        client.Dispose();
    }

    private static MqttClientOptions Options(int port, string password, string username = PsaCloud.MqttUsername) => new MqttClientOptionsBuilder()
        .WithTcpServer(PsaCloud.MqttHost, port)
        .WithProtocolVersion(MqttProtocolVersion.V311)
        .WithClientId("test-" + Guid.NewGuid().ToString("N"))
        .WithCredentials(username, password)
        .Build();
}
