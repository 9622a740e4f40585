// Attachments' pure parts: safe names, office XML text, type by content and
// text extraction with the Debian tools (an office file made by Python's
// zipfile, as LibreOffice and Word lay them out).
#include "attachments/attachments.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "attachments/file_type.h"
#include "attachments/text_extract.h"
#include "support/test_support.h"

namespace kpo::attachments {
namespace {

TEST(SafeName, KeepsASafeBaseNameWithTheTypesExtension) {
  EXPECT_EQ(SafeName("Notitie kwartel.pdf", "pdf"), "Notitie-kwartel.pdf");
  EXPECT_EQ(SafeName("../../etc/passwd", "pdf"), "passwd.pdf");
  EXPECT_EQ(SafeName("C:\\Users\\x\\rapport.PDF", "pdf"), "rapport.pdf");
  EXPECT_EQ(SafeName("foto.jpeg", "jpg"), "foto.jpg");
  EXPECT_EQ(SafeName("virus.exe", "pdf"), "virus.pdf");
  EXPECT_EQ(SafeName(".htaccess", "png"), "htaccess.png");
  EXPECT_EQ(SafeName("\"; x=\"y.pdf", "pdf"), "x-y.pdf");
  EXPECT_EQ(SafeName("", "odt"), "bijlage.odt");
  EXPECT_EQ(SafeName("...", "odt"), "bijlage.odt");
  EXPECT_LE(SafeName(std::string(300, 'a') + ".pdf", "pdf").size(), 100u);
}

TEST(XmlText, StripsTagsAndKeepsWordsApart) {
  EXPECT_EQ(XmlText("<w:p><w:r><w:t>Hel</w:t></w:r><w:r><w:t>lo</w:t></w:r></w:p><w:p><w:t>"
                    "wereld &amp; meer</w:t></w:p>"),
            "Hello wereld & meer");
  EXPECT_EQ(XmlText("<text:p>caf&#233;</text:p><text:p>&#x263A;</text:p>"), "café ☺");
  EXPECT_EQ(XmlText("<si><t>a</t></si><si><t>b</t></si>"), "a b");
  EXPECT_EQ(XmlText("<unterminated"), "");
  EXPECT_EQ(XmlText("&bogus; &#0; &#xD800;"), "");
}

TEST(FileType, ReadsTheTypeFromTheBytes) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("a.png"), "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n");
  auto pdf = DetectType(dir.Sub("a.png"));
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  EXPECT_EQ(pdf->extension, "pdf");
  EXPECT_FALSE(pdf->image);
  testing::WriteFile(dir.Sub("b.pdf"), "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff");
  EXPECT_EQ(DetectType(dir.Sub("b.pdf")).status().code(), ErrorCode::kUnsupportedAttachmentType);
  testing::WriteFile(dir.Sub("c.jpg"), "gewone tekst");
  EXPECT_EQ(DetectType(dir.Sub("c.jpg")).status().code(), ErrorCode::kUnsupportedAttachmentType);
}

TEST(ExtractText, ReadsDocxAndOdtThroughUnzip) {
  testing::TempDir dir;
  const std::string script = R"PY(
import sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(d + '/a.docx', 'w') as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr('word/document.xml', '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>kwartel</w:t></w:r><w:r><w:t>koning</w:t></w:r></w:p><w:p><w:t>in de polder</w:t></w:p></w:body></w:document>')
with zipfile.ZipFile(d + '/b.odt', 'w') as z:
    z.writestr('mimetype', 'application/vnd.oasis.opendocument.text', compress_type=zipfile.ZIP_STORED)
    z.writestr('content.xml', '<office:document-content xmlns:office="o" xmlns:text="t"><text:p>grutto</text:p><text:p>weide</text:p></office:document-content>')
)PY";
  testing::WriteFile(dir.Sub("make.py"), script);
  ASSERT_EQ(std::system(("python3 " + dir.Sub("make.py") + " " + dir.path()).c_str()), 0);
  auto docx = DetectType(dir.Sub("a.docx"));
  auto docx_text = ExtractText(dir.Sub("a.docx"),
                               "application/vnd.openxmlformats-officedocument.wordprocessingml."
                               "document");
  ASSERT_TRUE(docx_text.ok());
  EXPECT_EQ(*docx_text, "kwartelkoning in de polder");
  auto odt = DetectType(dir.Sub("b.odt"));
  ASSERT_TRUE(odt.ok()) << odt.status().ToString();
  EXPECT_EQ(odt->extension, "odt");
  auto odt_text = ExtractText(dir.Sub("b.odt"), odt->mime);
  ASSERT_TRUE(odt_text.ok());
  EXPECT_EQ(*odt_text, "grutto weide");
  // A damaged archive gives no text, not an error or a crash.
  testing::WriteFile(dir.Sub("c.docx"), "PK\3\4kapot");
  auto broken = ExtractText(dir.Sub("c.docx"), docx.ok() ? docx->mime : "application/pdf");
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(*broken, "");
}

}  // namespace
}  // namespace kpo::attachments
