using System.Net;
using System.Net.Http.Json;
using EvGateway.Simulator;

namespace EvGateway.Tests.Simulator;

public class LengthRequiredTests
{
    [Theory]
    [InlineData("gigya")]
    [InlineData("kamereon")]
    [InlineData("psa token")]
    [InlineData("psa remote token")]
    public async Task A_maker_endpoint_answers_411_to_a_body_streamed_without_a_length(string endpoint)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var simulator = await CloudSimulator.StartAsync(new SimulatorOptions(), cancellation);
        using var http = new HttpClient();
        var path = endpoint switch
        {
            "gigya" => new Uri($"{simulator.Renault.GigyaUrl}/accounts.login"),
            "kamereon" => new Uri($"{simulator.Renault.KamereonUrl}/commerce/v1/accounts/a/kamereon/kca/car-adapter/v1/cars/v/actions/charging-start"),
            "psa token" => simulator.Psa.TokenUrl,
            _ => simulator.Psa.RemoteTokenUrl,
        };

        // JsonContent serialises while sending, so it goes out chunked: the shape of the bug the clouds refuse.
        using var streamed = await http.PostAsync(path, JsonContent.Create(new { data = "x" }), cancellation);
        using var sized = await http.PostAsync(path, new StringContent("{\"data\":\"x\"}"), cancellation);

        Assert.Equal(HttpStatusCode.LengthRequired, streamed.StatusCode);
        Assert.NotEqual(HttpStatusCode.LengthRequired, sized.StatusCode);
    }

    [Fact]
    public async Task The_control_api_is_not_a_maker_and_takes_a_streamed_body()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var simulator = await CloudSimulator.StartAsync(new SimulatorOptions(), cancellation);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        using var answer = await http.PostAsync("_control/renault/reset-counters", JsonContent.Create(new { }), cancellation);

        Assert.True(answer.IsSuccessStatusCode, $"answered {(int)answer.StatusCode}");
    }
}
