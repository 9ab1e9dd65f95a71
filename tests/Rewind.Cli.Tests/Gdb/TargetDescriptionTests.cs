using System.Xml.Linq;
using Rewind.Cli.Gdb;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>The register layout gdb's amd64-linux code expects, and the 'g' packet built on it.</summary>
public sealed class TargetDescriptionTests
{
    [Theory]
    [InlineData(false, 60)]
    [InlineData(true, 76)]
    public void RegistersAreNumberedAsGdbNumbersThem(bool avx, int count)
    {
        var d = TargetDescription.Amd64Linux(avx);
        var names = d.Registers.Select(r => r.Name).ToList();
        Assert.Equal(count, names.Count);
        Assert.Equal(0, names.IndexOf("rax"));
        Assert.Equal(7, names.IndexOf("rsp"));
        Assert.Equal(16, names.IndexOf("rip"));
        Assert.Equal(17, names.IndexOf("eflags"));
        Assert.Equal(24, names.IndexOf("st0"));
        Assert.Equal(40, names.IndexOf("xmm0"));
        Assert.Equal(56, names.IndexOf("mxcsr"));
        Assert.Equal(57, names.IndexOf("orig_rax"));
        Assert.Equal(58, names.IndexOf("fs_base"));
        Assert.Equal(59, names.IndexOf("gs_base"));
        Assert.Equal(avx ? 60 : -1, names.IndexOf("ymm0h"));
    }

    [Fact]
    public void TheXmlIsWellFormedAndNamesEveryRegisterInOrder()
    {
        var d = TargetDescription.Amd64Linux(avx: true);
        var xml = XDocument.Parse(d.Xml);
        Assert.Equal("i386:x86-64", xml.Root!.Element("architecture")!.Value);
        var regs = xml.Descendants("reg").ToList();
        Assert.Equal(d.Registers.Select(r => r.Name), regs.Select(r => r.Attribute("name")!.Value));
        Assert.Equal(Enumerable.Range(0, regs.Count).Select(i => i.ToString()), regs.Select(r => r.Attribute("regnum")!.Value));
        Assert.Equal(["org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse", "org.gnu.gdb.i386.linux", "org.gnu.gdb.i386.segments", "org.gnu.gdb.i386.avx"],
            xml.Descendants("feature").Select(f => f.Attribute("name")!.Value));
    }

    [Fact]
    public void TheRegisterPacketCarriesGeneralAndVectorRegistersAtTheirPlaces()
    {
        var d = TargetDescription.Amd64Linux(avx: true);
        var regs = new Registers { Rax = 0x1122334455667788, Rip = 0x401000, Eflags = 0x246, FsBase = 0x7ffff7d8a740, OrigRax = ulong.MaxValue };
        var xsave = new byte[1024];
        xsave[0] = 0x7f; xsave[1] = 0x03; // fcw 0x37f
        xsave[24] = 0x80; xsave[25] = 0x1f; // mxcsr 0x1f80
        xsave[160] = 0xaa; // xmm0's first byte
        xsave[576 + 16] = 0xbb; // ymm1h's first byte
        var file = RegisterFile.Of(d, regs, xsave);

        Assert.Equal(8 * 16 + 8 + 4 * 7 + 10 * 8 + 4 * 8 + 16 * 16 + 4 + 8 * 3 + 16 * 16, file.All.Length);
        Assert.Equal("8877665544332211", GdbHex.Encode(file.One(0)));
        Assert.Equal("0010400000000000", GdbHex.Encode(file.One(16)));
        Assert.Equal("46020000", GdbHex.Encode(file.One(17)));
        Assert.Equal("7f030000", GdbHex.Encode(file.One(32)));
        Assert.Equal("ffff0000", GdbHex.Encode(file.One(34))); // every x87 register empty
        Assert.Equal(0xaa, file.One(40)[0]);
        Assert.Equal("801f0000", GdbHex.Encode(file.One(56)));
        Assert.Equal("ffffffffffffffff", GdbHex.Encode(file.One(57)));
        Assert.Equal("40a7d8f7ff7f0000", GdbHex.Encode(file.One(58)));
        Assert.Equal(0xbb, file.One(61)[0]);
    }

    [Fact]
    public void TheFullTagWordIsRebuiltFromTheAbridgedOne()
    {
        var fx = new byte[512];
        fx[3] = 7 << 3; // top = 7
        fx[4] = 0b1000_0000; // physical register 7 in use: st(0)
        // st(0) = 1.0: exponent 0x3fff, integer bit set.
        fx[32 + 7] = 0x80;
        fx[32 + 8] = 0xff;
        fx[32 + 9] = 0x3f;
        Assert.Equal(0x3fffu, X87.FullTagWord(fx)); // register 7 valid (00), the others empty (11)
    }
}
