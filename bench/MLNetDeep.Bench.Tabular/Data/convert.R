library(mlbench); library(modeldata)
out <- commandArgs(trailingOnly=TRUE)[1]
w <- function(df, name) write.csv(df, file.path(out, paste0(name, ".csv")), row.names=FALSE, na="")
for (n in c("Glass","Ionosphere","Sonar","PimaIndiansDiabetes","BreastCancer","Vowel","DNA","Servo")) { data(list=n); w(get(n), n) }
data(concrete); w(as.data.frame(concrete), "concrete")
