using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// A simulator on its own free port with a fake clock, and a plain HttpClient that speaks Gigya and Kamereon the
/// way a client would (form posts, apikey and id_token headers, ?country=FR), so tests read like the protocol.
/// </summary>
internal sealed class RenaultSimulatorSession : IAsyncDisposable
{
    private RenaultSimulatorSession(CloudSimulator simulator, FakeTimeProvider time, HttpClient http)
    {
        Simulator = simulator;
        Time = time;
        Http = http;
    }

    public CloudSimulator Simulator { get; }
    public RenaultCloud Cloud => Simulator.Renault;
    public FakeTimeProvider Time { get; }
    public HttpClient Http { get; }

    public static async Task<RenaultSimulatorSession> StartAsync(int callsPerHour = 1000, TimeSpan? jwtLifetime = null,
        TimeZoneInfo? carTimeZone = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var simulator = await CloudSimulator.StartAsync(new SimulatorOptions
        {
            TimeProvider = time,
            RenaultCallsPerHour = callsPerHour,
            RenaultJwtLifetime = jwtLifetime ?? TimeSpan.FromSeconds(900),
            CarTimeZone = carTimeZone ?? TimeZoneInfo.Local,
        }, TestContext.Current.CancellationToken);
        return new RenaultSimulatorSession(simulator, time, new HttpClient { BaseAddress = simulator.BaseAddress });
    }

    public async Task<JsonObject> GigyaAsync(string method, params (string Name, string Value)[] fields)
    {
        using var form = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var response = await Http.PostAsync(new Uri(Cloud.GigyaUrl + "/" + method), form, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
    }

    public async Task<string> LoginTokenAsync(string username = RenaultCloud.DemoUsername, string password = RenaultCloud.DemoPassword)
    {
        var login = await GigyaAsync("accounts.login",
            ("ApiKey", RenaultCloud.DefaultGigyaApiKey), ("loginID", username), ("password", password));
        Assert.Equal(0, (int)login["errorCode"]!);
        return (string)login["sessionInfo"]!["cookieValue"]!;
    }

    public async Task<string> JwtAsync(string loginToken)
    {
        var answer = await GigyaAsync("accounts.getJWT", ("ApiKey", RenaultCloud.DefaultGigyaApiKey), ("login_token", loginToken),
            ("fields", "data.personId,data.gigyaDataCenter"), ("expiration", "900"));
        Assert.Equal(0, (int)answer["errorCode"]!);
        return (string)answer["id_token"]!;
    }

    public async Task<string> LoggedInJwtAsync() => await JwtAsync(await LoginTokenAsync());

    public static string CarPath(string vin, string version, string operation, string accountId = RenaultCloud.DemoRenaultAccountId) =>
        $"/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/{version}/cars/{vin}/{operation}";

    public static string KcmPath(string vin, string operation, string accountId = RenaultCloud.DemoRenaultAccountId) =>
        $"/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/{operation}";

    public Task<HttpResponseMessage> KamereonGetAsync(string path, string? jwt, string apiKey = RenaultCloud.DefaultKamereonApiKey,
        string query = "?country=FR") =>
        Http.SendAsync(KamereonRequest(HttpMethod.Get, path, jwt, apiKey, query), TestContext.Current.CancellationToken);

    /// <summary>A read the caller abandons when <paramref name="giveUp"/> fires, like a client with a timeout.</summary>
    public Task<HttpResponseMessage> KamereonGetAbandonedAsync(string path, string jwt, CancellationToken giveUp) =>
        Http.SendAsync(KamereonRequest(HttpMethod.Get, path, jwt, RenaultCloud.DefaultKamereonApiKey, "?country=FR"), giveUp);

    public Task<HttpResponseMessage> KamereonPostAsync(string path, string jwt, object body) =>
        Http.SendAsync(KamereonRequest(HttpMethod.Post, path, jwt, RenaultCloud.DefaultKamereonApiKey, "?country=FR",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/vnd.api+json")), TestContext.Current.CancellationToken);

    public static object Action(string type, object attributes) => new { data = new { type, attributes } };

    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response) =>
        (string)(await BodyAsync(response))["errors"]![0]!["errorCode"]!;

    /// <summary>The attributes of a read that must succeed; <paramref name="query"/> adds to the country parameter.</summary>
    public async Task<JsonObject> AttributesAsync(string path, string jwt, string query = "")
    {
        using var response = await KamereonGetAsync(path, jwt, query: "?country=FR" + query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await BodyAsync(response))["data"]!["attributes"]!.AsObject();
    }

    private HttpRequestMessage KamereonRequest(HttpMethod method, string path, string? jwt, string apiKey, string query, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Cloud.KamereonUrl + path + query)) { Content = content };
        request.Headers.Add("apikey", apiKey);
        if (jwt is not null)
        {
            request.Headers.Add("x-gigya-id_token", jwt);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
