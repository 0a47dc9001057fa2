"""What several apps need and none of them owns: the upload policy, text extraction, spreadsheet
reading, the XLSX export helper and the append-only model base. It depends on no app of the
project."""
