using System.Text;
using System.Text.Json.Nodes;
using EvGateway.Manufacturers.Psa.Pairing;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

public sealed class PsaccOtpImportTests
{
    private const string ModulePrefix = "psa_car_controller.psa.otp.";

    [Theory]
    [InlineData("otp.bin", 4)]
    [InlineData("otp.protocol3.bin", 3)]
    public void Every_attribute_the_expected_file_lists_is_read_with_its_python_type_and_value(string file, int protocol)
    {
        var expected = InWeboVectors.ExpectedOtpBin;
        var bytes = InWeboVectors.Bytes(file);

        var otp = PsaccOtpImport.Load(bytes);

        Assert.Equal(protocol, bytes[1]);
        var data = Assert.IsType<PsaccObject>(otp.Get("data"));
        var tokenizer = Assert.IsType<PsaccObject>(data.Get("tokenizer"));
        Assert.Same(otp, data.Get("IW"));
        Assert.Equal(["Otp", "IWData", "Tokenizer"], new[] { otp, data, tokenizer }.Select(o => o.ClassName));
        Assert.Equal(expected.Items("classes").Select(c => c.Text("module")),
            new[] { "otp", "load", "tokenizer" }.Select(module => ModulePrefix + module));
        AssertAttributes(expected["Otp"]!, otp, "data");
        AssertAttributes(expected["Otp.data (IWData)"]!, data, "IW", "tokenizer");
        AssertAttributes(expected["Otp.data.tokenizer (Tokenizer)"]!, tokenizer);
    }

    [Theory]
    [InlineData("otp.bin")]
    [InlineData("otp.protocol3.bin")]
    public void The_imported_state_is_the_one_psa_car_controller_keeps_after_the_third_otp(string file)
    {
        var third = InWeboVectors.Otps.Items("otps").Last();

        var state = PsaccOtpImport.Import(InWeboVectors.Bytes(file));

        Assert.Equal(InWeboClientRig.StateBefore(third) with { K1 = third.Text("K1_after") }, state);
        Assert.Empty(state.OtpTimes);
    }

    [Fact]
    public void The_file_written_right_after_activation_imports_as_the_activated_soft_token()
    {
        var derived = InWeboVectors.Activation["derived"]!;

        var state = PsaccOtpImport.Import(InWeboVectors.Bytes("otp-after-activation.bin"));

        Assert.Equal(InWeboClientRig.StateBefore(InWeboVectors.Otps.Items("otps").First()), state);
        Assert.Equal(derived.Text("K1_hex_after_activation"), state.K1);
        Assert.Equal(derived.Text("iwsecval_hex"), state.SecretValue);
    }

    [Fact]
    public void A_file_from_before_2022_with_short_module_names_imports_too()
    {
        // Protocol 3 names classes in newline-terminated GLOBAL opcodes, so the module names can be shortened in place.
        var old = Encoding.Latin1.GetString(InWeboVectors.Bytes("otp.protocol3.bin")).Replace(ModulePrefix, "otp.", StringComparison.Ordinal);

        var state = PsaccOtpImport.Import(Encoding.Latin1.GetBytes(old));

        Assert.Equal(PsaccOtpImport.Import(InWeboVectors.Bytes("otp.protocol3.bin")), state);
    }

    public static TheoryData<string, byte[]> DamagedFiles
    {
        get
        {
            var otpBin = InWeboVectors.Bytes("otp.bin");
            return new TheoryData<string, byte[]>
            {
                { "empty", [] },
                { "JSON", Encoding.UTF8.GetBytes("{\"device_id\":\"1c92f80886c62b32\"}") },
                { "cut in half", otpBin[..(otpBin.Length / 2)] },
                { "an empty dict", [0x80, 0x04, (byte)'}', 0x94, (byte)'.'] },
                { "a pickle from a future Python", [0x80, 0x09, (byte)'}', (byte)'.'] },
                { "a damaged opcode", [.. otpBin[..40], 0xFF, .. otpBin[41..]] },
            };
        }
    }

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void A_file_that_is_not_a_usable_otp_bin_is_refused_in_plain_words(string what, byte[] file)
    {
        var refused = Assert.Throws<PsaPairingException>(() => PsaccOtpImport.Import(file));

        Assert.Equal(PsaPairingFailure.ImportRejected, refused.Failure);
        Assert.StartsWith("The otp.bin file cannot be imported: ", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pickle", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", refused.Message, StringComparison.Ordinal);
        Assert.Null(refused.InnerException);
        Assert.NotEmpty(what);
    }

    private static void AssertAttributes(JsonNode expected, PsaccObject actual, params string[] except)
    {
        var listed = expected.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Equal(listed.Order(), actual.Attributes.Keys.Except(except).Order());
        foreach (var (name, node) in expected.AsObject())
        {
            var attribute = node!;
            var value = actual.Get(name);
            switch (attribute.Text("type"))
            {
                case "str":
                    Assert.Equal(attribute.Text("value"), Assert.IsType<string>(value));
                    break;
                case "int":
                    Assert.Equal(attribute["value"]!.GetValue<long>(), Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    Assert.True(value is int or long, $"{name} is not an integer");
                    break;
                case "bool":
                    Assert.Equal(attribute["value"]!.GetValue<bool>(), Assert.IsType<bool>(value));
                    break;
                case "NoneType":
                    Assert.Null(value);
                    break;
                default:
                    Assert.Fail($"{name} has an unexpected type {attribute.Text("type")}");
                    break;
            }
        }
    }
}
