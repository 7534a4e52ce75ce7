using System.Text.Json.Nodes;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

/// <summary>The synthetic known-answer vectors in Vectors/ (copied to the test output; see their README).</summary>
internal static class InWeboVectors
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Manufacturers", "Psa", "Pairing", "Vectors", file);

    public static JsonNode Json(string file) => JsonNode.Parse(File.ReadAllText(Path(file)))!;

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path(file));

    public static JsonNode Activation => Json("activation.json");

    public static JsonNode Otps => Json("otps.json");

    public static JsonNode Derivation => Json("derivation.json");

    public static JsonNode NextFromOtpBin => Json("otp-next-from-otp-bin.json");

    public static JsonNode ExpectedOtpBin => Json("otp.bin.expected.json");

    public static string Text(this JsonNode node, string name) => node[name]!.GetValue<string>();

    public static IEnumerable<JsonNode> Items(this JsonNode node, string name) => node[name]!.AsArray().Select(n => n!);

    /// <summary>The answers of a transcript, in the order the client asked.</summary>
    public static IEnumerable<string> AnswerBodies(this JsonNode transcript) =>
        transcript.Items("exchanges").Select(e => e["response"]!.Text("body"));

    public static IEnumerable<string> QueryStrings(this JsonNode transcript) =>
        transcript.Items("exchanges").Select(e => e["request"]!.Text("query_string"));
}
